"""Referrals of the 2021-2023 history in the spreadsheet import: the referrals sheet, each row
through the referral domain function (back-dated, its steps dated, its reason audited), dry run,
idempotent on reference, bad rows listed; the reports count each in the year it was sent.

Hand-computed with the shipped plan's "Referral cases" (referrals to IJM Romania accepted or
completed, counted in the year they were sent): R-1 (sent 2022-03-05, completed) and R-2 (sent
2022-11-20, accepted) count in 2022; R-3 (declined) counts nowhere; 2023 has none."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.models import AuditEvent, Organisation
from cases.enums import ConsentAction, ConsentPurpose
from cases.models import Referral
from cases.services import record_consent
from pillars.models import Period
from reports.tables import indicator_table
from tests.imports import test_import as imports_tests
from tests.imports.test_import import run_import, table_sizes, workbook_bytes

# The shipped plan, loaded once for the module, and Betania with its admin.
plan = imports_tests.plan
betania = imports_tests.betania
admin = imports_tests.admin

pytestmark = pytest.mark.django_db

REFERRALS = [
    # reference, person_reference, partner, service, date, status, answered_on, closed_on,
    # reason
    [
        "R-1",
        "P-001",
        "ijm-romania",
        "legal-assistance",
        "2022-03-05",
        "completed",
        "2022-03-07",
        "2023-01-15",
        "2022 referrals from the old spreadsheet",
    ],
    ["R-2", "P-002", "IJM Romania", "Asistență juridică", "20.11.2022", "Accepted", "", "", ""],
    ["R-3", "P-003", "salvation-army", "shelter, legal-assistance", "2022-06-03", "declined"],
]


def referral_cases(label):
    table = indicator_table(Period.objects.get(label=label))
    (row,) = [
        row for row in table.rows if row.indicator and row.indicator.code == "p2-referral-cases"
    ]
    return row.result


def give_sharing_consent_to_ijm(betania, admin):
    """R-2 is still open (accepted): her consent to share with IJM is recorded in the app."""
    bianca = betania.beneficiaries.get(alias="Bianca")
    record_consent(
        bianca,
        purpose=ConsentPurpose.SHARING,
        action=ConsentAction.GIVEN,
        on=date(2022, 11, 20),
        by=admin,
        partner=Organisation.objects.get(slug="ijm-romania"),
    )


def test_referrals_of_2022_are_imported_with_their_steps_and_counted_in_2022(betania, admin):
    run_import(workbook_bytes(), betania, admin)
    give_sharing_consent_to_ijm(betania, admin)
    assert (referral_cases("2022"), referral_cases("2023")) == (0, 0)

    result = run_import(workbook_bytes(referrals=REFERRALS), betania, admin)

    assert result.problems == []
    assert result.counts["referrals"].created == 3
    by_alias = {referral.beneficiary.alias: referral for referral in Referral.objects.all()}
    ana, bianca, carla = by_alias["Ana"], by_alias["Bianca"], by_alias["Carla"]
    assert (ana.sent_on, ana.status, ana.to_organisation.slug) == (
        date(2022, 3, 5),
        "completed",
        "ijm-romania",
    )
    assert [(e.status, timezone.localtime(e.at).date()) for e in ana.events.all()] == [
        ("sent", date(2022, 3, 5)),
        ("accepted", date(2022, 3, 7)),
        ("completed", date(2023, 1, 15)),
    ]
    assert (bianca.sent_on, bianca.status) == (date(2022, 11, 20), "accepted")
    assert timezone.localtime(bianca.responded_at).date() == date(2022, 11, 20)
    assert sorted(carla.services.values_list("code", flat=True)) == ["legal-assistance", "shelter"]
    assert (carla.status, carla.from_organisation) == ("declined", betania)
    details = AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="cases.referral"
    ).values_list("detail", flat=True)
    assert any("why: 2022 referrals from the old spreadsheet" in d for d in details)
    assert any("why: imported from the organisation's spreadsheet" in d for d in details)
    assert (referral_cases("2022"), referral_cases("2023")) == (2, 0)


def test_the_same_referrals_again_add_nothing(betania, admin):
    run_import(workbook_bytes(), betania, admin)
    give_sharing_consent_to_ijm(betania, admin)
    content = workbook_bytes(referrals=REFERRALS)
    run_import(content, betania, admin)
    before = table_sizes()

    again = run_import(content, betania, admin)

    assert again.problems == []
    assert (again.counts["referrals"].created, again.counts["referrals"].unchanged) == (0, 3)
    sizes = table_sizes()
    assert sizes.pop("accounts.AuditEvent") == before.pop("accounts.AuditEvent") + 1
    assert sizes == before


def test_a_dry_run_of_referrals_writes_nothing(betania, admin):
    before = table_sizes()

    # People and their referrals in one file; the closed ones need no consent.
    result = run_import(
        workbook_bytes(referrals=[REFERRALS[0], REFERRALS[2]]), betania, admin, dry_run=True
    )

    assert result.problems == []
    assert result.counts["referrals"].created == 2
    assert table_sizes() == before


def test_bad_referral_rows_import_nothing_and_are_each_listed(betania, admin):
    bad = [
        REFERRALS[0],
        # Before Ana's intake (2022-03-01).
        ["R-4", "P-001", "ijm-romania", "shelter", "2022-02-01", "completed", "", "", "x"],
        # Still open, and Bianca's consent to share with IJM is not recorded.
        ["R-5", "P-002", "ijm-romania", "shelter", "2022-05-01", "sent", "", "", ""],
        # To her own organisation; an unknown status; answered before it was sent.
        ["R-6", "P-003", "betania", "shelter", "2022-06-03", "declined", "", "", ""],
        ["R-7", "P-003", "ijm-romania", "shelter", "2022-06-03", "lost", "", "", ""],
        ["R-8", "P-003", "ijm-romania", "shelter", "2022-06-03", "declined", "2022-06-01", "", ""],
        ["R-9", "P-404", "ijm-romania", "shelter", "2022-06-03", "declined", "", "", ""],
    ]
    before = table_sizes()

    result = run_import(workbook_bytes(referrals=bad), betania, admin)

    assert [(p.sheet, p.row, p.column) for p in result.problems] == [
        ("referrals", 3, "date"),
        ("referrals", 4, ""),
        ("referrals", 5, "partner"),
        ("referrals", 6, "status"),
        ("referrals", 7, "answered_on"),
        ("referrals", 8, "person_reference"),
    ]
    reasons = [problem.reason for problem in result.problems]
    assert "before" in reasons[0] and "intake" in reasons[0]
    assert "has not given consent to share the record" in reasons[1]
    assert "'betania' is not a known partner organisation" in reasons[2]
    assert "'lost' is not a known referral status" in reasons[3]
    assert "on or after it was sent" in reasons[4]
    assert "'P-404' is in no row of the people sheet" in reasons[5]
    assert not result.written
    assert table_sizes() == before


def test_the_command_imports_a_csv_of_referrals(betania, admin, tmp_path):
    run_import(workbook_bytes(), betania, admin)
    path = tmp_path / "referrals.csv"
    path.write_text(
        "reference;person_reference;partner;service;date;status;answered_on;closed_on;reason\n"
        "R-1;P-001;ijm-romania;legal-assistance;05.03.2022;completed;07.03.2022;;history\n",
        encoding="utf-8",
    )
    output = io.StringIO()

    call_command(
        "import_spreadsheet",
        str(path),
        "--organisation",
        "betania",
        stdout=output,
        stderr=io.StringIO(),
    )

    assert "referrals: 1 new, 0 changed, 0 already imported" in output.getvalue()
    referral = Referral.objects.get()
    assert (referral.sent_on, referral.status, referral.sent_by) == (
        date(2022, 3, 5),
        "completed",
        None,
    )
    assert referral_cases("2022") == 1
