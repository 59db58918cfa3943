"""`load_plan`: the shipped plan file on an empty database gives both printed tables (every
label, target and remark, results of zero) and the budget; a second run changes nothing; a
broken file is refused whole, naming its line; production settings load it."""

import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from accounts.models import AuditEvent, Organisation, User
from pillars.budget import financial_table
from pillars.enums import ComputationKind
from pillars.models import Indicator, Period, Programme, ReportRow, SubProject
from pillars.services import lock_period
from tests.data.printed_reports import (
    FINANCIAL_REPORT,
    PILLAR_HEADINGS,
    TABLE_2021_2023,
    TABLE_2022,
)
from tests.pillars.test_demo_reproduces_the_reports import printed_rows_of
from tests.processes import PRODUCTION, ROOT, run_python

PLAN_FILE = ROOT / "plans" / "next-steps-2021-2023.yaml"
PLAN_TABLES = [
    "accounts.Organisation",
    "pillars.Programme",
    "pillars.Pillar",
    "pillars.SubProject",
    "pillars.Location",
    "cases.ServiceType",
    "pillars.Indicator",
    "pillars.ReportLayout",
    "pillars.ReportSection",
    "pillars.ReportRow",
    "pillars.Period",
    "pillars.Target",
    "pillars.Remark",
    "pillars.BudgetGroup",
    "pillars.BudgetLine",
    "accounts.AuditEvent",
]


def load(path=PLAN_FILE, *options):
    output = io.StringIO()
    call_command("load_plan", str(path), *options, stdout=output)
    return output.getvalue()


def snapshot():
    """Every value of every table the plan writes."""
    return {
        label: sorted(map(repr, apps.get_model(label).objects.values_list()))
        for label in PLAN_TABLES
    }


def with_results_of_zero(printed):
    """The printed rows as an empty database shows them: every computed figure 0; a header row
    and a figure entered by hand (none yet) blank."""
    hand_entered = set(
        ReportRow.objects.filter(indicator__computation=ComputationKind.MANUAL).values_list(
            "label", flat=True
        )
    )
    return [
        row._replace(result=None if row.result is None or row.indicator in hand_entered else 0)
        for row in printed
    ]


@pytest.mark.parametrize(
    ("label", "printed"), [("2022", TABLE_2022), ("2021-2023", TABLE_2021_2023)]
)
def test_the_plan_file_gives_the_printed_tables_with_results_of_zero(db, label, printed):
    load()

    period = Period.objects.get(label=label)
    assert printed_rows_of(period) == [tuple(row) for row in with_results_of_zero(printed)]
    assert {s.pillar.number: s.heading for s in period.layout.sections.all()} == PILLAR_HEADINGS[
        label
    ]


def test_the_plan_file_gives_the_budget_with_nothing_spent(db):
    load()

    table = financial_table(Programme.objects.get())
    assert [(row.label, round(row.budget)) for row in table.rows] == [
        (row.line, row.budget) for row in FINANCIAL_REPORT
    ]
    assert table.column_labels == ["2021", "2022", "2023"]
    assert all(spent == 0 for row in table.rows for spent in row.actuals)


def test_the_plan_file_creates_the_partnership_and_every_period(db):
    load()

    assert sorted(Organisation.objects.values_list("slug", flat=True)) == [
        "betania",
        "ijm-romania",
        "nl-partner",
        "salvation-army",
    ]
    assert sorted(Period.objects.values_list("label", "kind")) == [
        ("2021", "year"),
        ("2021-2023", "programme"),
        ("2022", "year"),
        ("2023", "year"),
    ]
    assert not User.objects.exists()


def test_a_second_run_changes_nothing(db):
    first = load()
    before = snapshot()

    second = load()

    assert "created" in first
    assert "nothing to change" in second
    assert snapshot() == before


def test_a_dry_run_writes_nothing_and_says_what_it_would_do(db):
    before = snapshot()

    output = load(PLAN_FILE, "--dry-run")

    assert "Would change" in output
    assert "29 indicators" in output and "47 targets" in output and "45 remarks" in output
    assert snapshot() == before


def broken(tmp_path, old, new):
    """The plan file with ``old`` (which occurs once) replaced, and the line it is on."""
    text = PLAN_FILE.read_text()
    assert text.count(old) == 1, old
    line = text[: text.index(old)].count("\n") + 1
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace(old, new))
    return path, line


BROKEN = {
    "unknown computation": (
        "computation: active_volunteers",
        "computation: volunteers_met",
        "unknown computation 'volunteers_met'",
    ),
    "unknown parameter": (
        "      organisations: [betania, salvation-army]\n  - code: p1-outreach-oradea",
        "      organisation: [betania, salvation-army]\n  - code: p1-outreach-oradea",
        "unknown parameter 'organisation'",
    ),
    "unknown parameter value": (
        "activity_kinds: [parenting_class]",
        "activity_kinds: [parenting_classes]",
        "activity_kinds: unknown value 'parenting_classes'",
    ),
    "unknown pillar": (
        "  - code: p2-referral-cases\n    pillar: 2",
        "  - code: p2-referral-cases\n    pillar: 4",
        "unknown pillar 4",
    ),
    "unknown row": (
        "      life-skills-heading: >-",
        "      life-skills-headline: >-",
        "unknown row 'life-skills-headline'",
    ),
    "unknown indicator in a layout": (
        "- indicator: p2-refugees-supported\n            label:\n              en: Refugees",
        "- indicator: p2-refugees-helped\n            label:\n              en: Refugees",
        "unknown indicator 'p2-refugees-helped'",
    ),
    "negative target": ("p1-outreach-oradea: 25", "p1-outreach-oradea: -25", "a target is"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_file_writes_nothing_and_names_the_line(db, tmp_path, case):
    old, new, message = BROKEN[case]
    path, line = broken(tmp_path, old, new)
    # The changed text may start a line before the one with the mistake.
    line += new.split("\n").index(next(part for part in new.split("\n") if part not in old))
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        load(path)

    assert f"broken.yaml, line {line}: {message}" in str(refused.value)
    assert "nothing was written" in str(refused.value)
    assert snapshot() == before


def test_every_problem_of_a_file_is_listed_at_once(db, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(
        PLAN_FILE.read_text()
        .replace("computation: active_volunteers", "computation: volunteers_met")
        .replace(
            "  - code: p2-referral-cases\n    pillar: 2",
            "  - code: p2-referral-cases\n    pillar: 9",
        )
    )

    with pytest.raises(CommandError) as refused:
        load(path)

    assert len(re.findall(r"broken\.yaml, line \d+:", str(refused.value))) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("format: 1\nprogramme: [\n", "line 3"),
        ("format: 1\nformat: 1\n", "line 2: 'format' is given twice"),
        ("- just a list\n", "line 1: a plan file is a mapping"),
        ("format: 1\nprogram: {}\n", "line 2: unknown section 'program'"),
    ],
)
def test_a_file_that_is_not_a_plan_is_refused_with_its_line(db, tmp_path, text, message):
    path = tmp_path / "broken.yaml"
    path.write_text(text)

    with pytest.raises(CommandError, match=message):
        load(path)


def test_a_refusal_while_writing_undoes_the_whole_load(db, tmp_path):
    """A locked period's target cannot change: the file is refused and everything it would have
    changed before that stays as it was."""
    load()
    lock_period(Period.objects.get(label="2022"), by=None)
    path, line = broken(tmp_path, "p1-outreach-oradea: 25", "p1-outreach-oradea: 26")
    text = path.read_text().replace("name: Oradea\n", "name: Oradea city\n")
    path.write_text(text)
    before = snapshot()

    with pytest.raises(CommandError) as refused:
        load(path)

    assert f"broken.yaml, line {line}: Period 2022 is locked" in str(refused.value)
    assert snapshot() == before


def test_the_labels_are_loaded_in_romanian_and_dutch(db):
    load()

    main = SubProject.objects.get(code="main")
    assert (main.name, main.name_ro, main.name_nl) == (
        "Main project",
        "Proiectul principal",
        "Hoofdproject",
    )
    assert Indicator.objects.exclude(label_ro="").count() == 29
    assert not ReportRow.objects.filter(label_nl="").exists()


def test_a_translation_the_app_cannot_store_is_refused(db, tmp_path):
    path, line = broken(
        tmp_path,
        "    city: Oradea\n",
        "    city:\n      en: Oradea\n      ro: Oradea\n",
    )

    with pytest.raises(CommandError, match=f"line {line}: city is text"):
        load(path)


def test_the_plan_loads_with_production_settings(tmp_path):
    database = f"sqlite:///{tmp_path / 'production.sqlite3'}"
    environment = {**PRODUCTION, "DATABASE_URL": database}

    migrated = run_python(["manage.py", "migrate", "--verbosity", "0"], **environment)
    loaded = run_python(["manage.py", "load_plan", str(PLAN_FILE)], **environment)
    again = run_python(["manage.py", "load_plan", str(PLAN_FILE)], **environment)

    assert migrated.returncode == 0, migrated.stderr
    assert loaded.returncode == 0, loaded.stderr
    assert "47 targets" in loaded.stdout
    assert "nothing to change" in again.stdout


def test_the_plan_file_is_documented():
    readme = (ROOT / "plans" / "README.md").read_text()
    for section in ("organisations", "programme", "indicators", "layouts", "periods", "budget"):
        assert f"`{section}`" in readme
    assert Path(PLAN_FILE).name in readme


def test_a_load_is_audited_once_and_a_reload_not_at_all(db):
    load()
    programme_rows = AuditEvent.objects.filter(object_type="pillars.programme").count()
    total = AuditEvent.objects.count()

    load()

    assert programme_rows == 1
    assert AuditEvent.objects.count() == total
