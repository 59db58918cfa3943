"""The generator and the benchmark keep working (issue 14): they run here at a tiny size, on
whichever database the suite runs on. No timing is asserted: speed is the benchmark's business."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import AuditEvent, Organisation
from bench import benchmark, export_bench
from cases.models import Assistance, Beneficiary, Referral
from cases.services import _next_code
from nextsteps.scoping import scopes_disabled
from tests.factories import BeneficiaryFactory

pytestmark = pytest.mark.django_db


def generate(people=60, organisations=4):
    out = io.StringIO()
    call_command(
        "generate_network",
        people=people,
        organisations=organisations,
        activities=30,
        audit_rows=300,
        force=True,
        stdout=out,
    )
    return out.getvalue()


def test_the_generator_writes_a_network_of_the_size_asked_for():
    output = generate(people=60, organisations=4)
    with scopes_disabled():
        assert Beneficiary.objects.count() == 60
        assert Organisation.objects.filter(slug__startswith="network-").count() == 4
        # The organisations the plan names take part too, so that its figures count people.
        assert Beneficiary.objects.filter(organisation__slug="betania").exists()
        assert Assistance.objects.count() >= 60
        assert AuditEvent.objects.count() >= 300
        # Organisations are sized unevenly: the first is the largest.
        sizes = [
            Beneficiary.objects.filter(organisation__slug=f"network-{n:02d}").count()
            for n in range(1, 5)
        ]
        assert sizes[0] == max(sizes) and sizes[0] > sizes[-1]
        # Identity is encrypted through the field: it reads back as text, and the codes are
        # unique and continue from the code sequences.
        person = Beneficiary.objects.order_by("pk").first()
        assert person.legal_name.startswith("Synthetic Person")
        assert Referral.objects.exclude(status="sent").exists() or Referral.objects.count() < 3
    assert "Password of every synthetic login" in output


def test_the_generator_refuses_a_database_that_holds_records():
    BeneficiaryFactory()
    with pytest.raises(CommandError, match="already holds"):
        generate()
    with scopes_disabled():
        assert Beneficiary.objects.count() == 1


def test_a_person_created_after_generation_gets_a_fresh_code():
    generate(people=30, organisations=2)
    with scopes_disabled():
        codes = set(Beneficiary.objects.values_list("code", flat=True))
        organisation = Organisation.objects.get(slug="network-01")
        years = {code.split("-")[1] for code in codes if code.startswith("N01-")}
        for year in years:
            assert _next_code(organisation, int(year)) not in codes


def test_the_benchmark_measures_every_page_and_matches_the_hand_written_sql(settings):
    settings.DEBUG = True
    generate(people=60, organisations=4)
    lines = []
    results, comparison = benchmark.run(1, write=lines.append)
    statuses = {result.name: result.status for result in results}
    assert statuses and set(statuses.values()) == {200}, statuses
    assert all(result.queries > 0 and len(result.times) == 1 for result in results)
    # The report pages are timed as served from the cache and as computed after a write.
    after_a_write = {result.name for result in results if result.after_a_write}
    assert {"pillar dashboard", "caseload dashboard", "referrals dashboard"} <= after_a_write
    assert "retention list" not in after_a_write
    assert comparison.identical, comparison.differences
    assert any(line.startswith("indicator figures 2021-2023") for line in lines)
    # The plan's organisations are in the network: its figures count people.
    assert comparison.people_counted and any(comparison.people_counted.values())
    assert any(line.startswith("people counted: p1-") for line in lines)
    assert comparison.cold_times and comparison.warm_times and comparison.sql_times


def test_the_export_benchmark_measures_each_way_at_each_size(_documents_in_a_temporary_folder):
    generate(people=60, organisations=2)
    lines = []

    figures = export_bench.run(repeat=1, sizes=(5, 10), write=lines.append)

    assert [(figure.name, figure.rows) for figure in figures[:4]] == [
        ("streamed workbook", 5),
        ("before (issue 14)", 5),
        ("streamed workbook", 10),
        ("before (issue 14)", 10),
    ]
    assert [figure.name for figure in figures[4:]] == [
        "streamed job + download",
        "download's encryption",
    ]
    assert all(len(figure.cpu_seconds) == 1 and figure.peak_megabytes > 0 for figure in figures)
    assert len(lines) == 1 + len(figures)
    with scopes_disabled():  # every run rolled back: no export left behind
        assert not AuditEvent.objects.filter(detail__contains="people list").exists()
