"""Spreadsheet import (issue 9, point 4): a workbook made from the template imports exactly its
rows through the domain functions, into the importer's organisation only, all or nothing."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent, Organisation
from cases.enums import Category, ConsentAction, ConsentPurpose, IntakeSource
from cases.models import Assistance, Beneficiary, ConsentEvent
from imports.reading import read_upload
from imports.services import import_workbook
from imports.sheets import HEADERS, template_workbook
from pillars.models import Activity, Expense
from tests.factories import make_member
from tests.processes import ROOT

PLAN_FILE = ROOT / "plans" / "next-steps-2021-2023.yaml"

pytestmark = pytest.mark.django_db

PEOPLE = [
    # reference, alias, category, sex, birth_year, nationality, location, intake_date,
    # how_they_came, status
    [
        "P-001",
        "Ana",
        "victim_of_trafficking",
        "female",
        1999,
        "RO",
        "oradea",
        "2022-03-01",
        "police",
        "active",
    ],
    [
        "P-002",
        "Bianca",
        "WOMAN EXITING PROSTITUTION",
        "Female",
        "",
        "Romania",
        "Oradea",
        "15.04.2022",
        "Outreach",
        "",
    ],
    ["P-003", "Carla", "refugee", "", 2001, "UA", "oradea", date(2022, 6, 1), "hotline", "closed"],
]
ASSISTANCE = [
    # person_reference, service, date, quantity, sub_project, note
    ["P-001", "shelter", "2022-03-02", 14, "main", "first nights"],
    ["P-001", "shelter", "2022-03-02", 14, "main", ""],  # the same help twice is real
    ["P-002", "Shelter", "20.04.2022", "", "main", ""],
    ["P-003", "shelter", "2022-06-02", "2,5", "refugee", ""],
]
ACTIVITIES = [
    # reference, pillar, kind, title, date, location, sub_project, participants, audience,
    # online_reach
    [
        "A-1",
        2,
        "multidisciplinary_training",
        "Training for police",
        "2022-05-10",
        "oradea",
        "main",
        25,
        "police; prosecutors",
        "",
    ],
]
EXPENSES = [
    # reference, budget_line, date, amount, currency, rate, description
    ["E-1", "staff costs", "2022-01-31", "1000", "RON", "4.9", "January salaries"],
]


@pytest.fixture(scope="module")
def plan(django_db_setup, django_db_blocker):
    """The shipped plan (organisations, locations, services, pillars, budget lines), loaded
    once for the module and rolled back after it; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), scopes_disabled(), transaction.atomic():
        call_command("load_plan", str(PLAN_FILE), stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def betania(plan, db):
    return Organisation.objects.get(slug="betania")


@pytest.fixture
def admin(betania):
    return make_member(Role.ORGANISATION_ADMIN, betania, email="admin@betania.test")


def workbook_bytes(
    people=PEOPLE, assistance=ASSISTANCE, activities=ACTIVITIES, expenses=EXPENSES, referrals=()
):
    """A workbook filled in from the downloadable template, as a partner would."""
    book = load_workbook(io.BytesIO(template_workbook()))
    for name, rows in [
        ("people", people),
        ("assistance", assistance),
        ("referrals", referrals),
        ("activities", activities),
        ("expenses", expenses),
    ]:
        for row in rows:
            book[name].append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def run_import(content, organisation, by=None, *, dry_run=False, filename="old.xlsx"):
    return import_workbook(
        read_upload(content, filename), organisation=organisation, by=by, dry_run=dry_run
    )


def table_sizes():
    # Unmanaged models (django-rq's dashboard) have no table to count.
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.managed
    }


def test_the_template_has_one_sheet_per_kind_with_the_exact_headers():
    book = load_workbook(io.BytesIO(template_workbook()))

    assert book.sheetnames == ["people", "assistance", "referrals", "activities", "expenses"]
    for name in book.sheetnames:
        assert [cell.value for cell in book[name][1]] == HEADERS[name]


def test_a_workbook_from_the_template_imports_exactly_its_rows(betania, admin):
    result = run_import(workbook_bytes(), betania, admin)

    assert result.problems == []
    assert result.written
    people = Beneficiary.objects.filter(organisation=betania).order_by("intake_date")
    assert [
        (p.alias, p.category, p.sex, p.nationality, p.intake_source, p.status) for p in people
    ] == [
        ("Ana", Category.VICTIM_OF_TRAFFICKING, "female", "RO", IntakeSource.POLICE, "active"),
        ("Bianca", Category.EXITING_PROSTITUTION, "female", "RO", IntakeSource.OUTREACH, "active"),
        ("Carla", Category.REFUGEE, "unknown", "UA", IntakeSource.HOTLINE, "closed"),
    ]
    assert [p.code for p in people] == ["BET-2022-0001", "BET-2022-0002", "BET-2022-0003"]
    assert sorted(
        Assistance.objects.filter(organisation=betania).values_list(
            "beneficiary__alias", "date", "quantity", "sub_project__code"
        )
    ) == [
        ("Ana", date(2022, 3, 2), Decimal("14.00"), "main"),
        ("Ana", date(2022, 3, 2), Decimal("14.00"), "main"),
        ("Bianca", date(2022, 4, 20), None, "main"),
        ("Carla", date(2022, 6, 2), Decimal("2.50"), "refugee"),
    ]
    activity = Activity.objects.get(organisation=betania)
    assert (activity.title, activity.pillar.number, activity.participants, activity.audiences) == (
        "Training for police",
        2,
        25,
        ["police", "prosecutors"],
    )
    expense = Expense.objects.get(organisation=betania)
    assert (expense.amount, expense.currency, expense.amount_eur) == (
        Decimal("1000.00"),
        "RON",
        Decimal("204.08"),
    )
    assert {(c.beneficiary.alias, c.date) for c in ConsentEvent.objects.all()} == {
        ("Ana", date(2022, 3, 1)),
        ("Bianca", date(2022, 4, 15)),
        ("Carla", date(2022, 6, 1)),
    }
    assert set(ConsentEvent.objects.values_list("purpose", "action")) == {
        (ConsentPurpose.PROCESSING, ConsentAction.GIVEN)
    }
    imported_people = AuditEvent.objects.filter(
        action=AuditAction.CREATE, detail="imported, processing consent given on intake date"
    )
    assert sorted(imported_people.values_list("object_reference", flat=True)) == [
        p.code for p in people
    ]
    assert AuditEvent.objects.filter(detail="assistance shelter, imported").count() == 4


def test_importing_the_same_file_again_adds_nothing(betania, admin):
    content = workbook_bytes()
    run_import(content, betania, admin)
    before = table_sizes()

    again = run_import(content, betania, admin)

    assert again.problems == []
    assert {sheet: counts.created for sheet, counts in again.counts.items()} == dict.fromkeys(
        HEADERS, 0
    )
    assert again.counts["people"].unchanged == 3
    assert again.counts["assistance"].unchanged == 4
    sizes = table_sizes()
    # Only the import's own audit row is new.
    assert sizes.pop("accounts.AuditEvent") == before.pop("accounts.AuditEvent") + 1
    assert sizes == before


def test_a_changed_row_changes_the_record_it_was_imported_as(betania, admin):
    run_import(workbook_bytes(), betania, admin)
    moved = [row[:] for row in PEOPLE]
    moved[1][9] = "reintegrated"

    result = run_import(workbook_bytes(people=moved), betania, admin)

    assert (result.counts["people"].changed, result.counts["people"].unchanged) == (1, 2)
    assert Beneficiary.objects.get(alias="Bianca").status == "reintegrated"
    assert Beneficiary.objects.count() == 3


def test_one_bad_row_imports_nothing_and_is_listed(betania, admin):
    people = [row[:] for row in PEOPLE]
    people[1][2] = "astronaut"
    assistance = [*ASSISTANCE, ["P-003", "shelter", "2021-01-01", 1, "main", ""]]
    before = table_sizes()

    result = run_import(workbook_bytes(people=people, assistance=assistance), betania, admin)

    assert [(p.sheet, p.row, p.column) for p in result.problems] == [
        ("people", 3, "category"),
        ("assistance", 4, "person_reference"),
        ("assistance", 6, "date"),
    ]
    assert "'astronaut' is not a known category" in result.problems[0].reason
    assert "people sheet cannot be imported" in result.problems[1].reason
    assert "before" in result.problems[2].reason
    assert not result.written
    assert table_sizes() == before


def test_a_dry_run_writes_nothing_and_counts_what_an_import_would_do(betania, admin):
    before = table_sizes()

    result = run_import(workbook_bytes(), betania, admin, dry_run=True)

    assert result.problems == []
    assert {sheet: counts.created for sheet, counts in result.counts.items()} == {
        "people": 3,
        "assistance": 4,
        "referrals": 0,
        "activities": 1,
        "expenses": 1,
    }
    assert table_sizes() == before


def test_another_organisations_slug_in_the_file_changes_nothing(betania, admin):
    with_organisation = load_workbook(io.BytesIO(workbook_bytes()))
    with_organisation["people"]["K1"] = "organisation"
    for row in range(2, 5):
        with_organisation["people"].cell(row=row, column=11, value="salvation-army")
    stream = io.BytesIO()
    with_organisation.save(stream)
    before = table_sizes()

    result = run_import(stream.getvalue(), betania, admin)

    assert [(p.sheet, p.column) for p in result.problems] == [("people", "organisation")]
    assert table_sizes() == before


def test_references_are_matched_within_the_importers_organisation_only(betania, admin):
    salvation_army = Organisation.objects.get(slug="salvation-army")
    theirs = make_member(Role.ORGANISATION_ADMIN, salvation_army, email="admin@sa.test")
    run_import(workbook_bytes(), salvation_army, theirs)
    their_people = list(Beneficiary.objects.filter(organisation=salvation_army).values())

    result = run_import(workbook_bytes(), betania, admin)

    assert result.counts["people"].created == 3
    assert list(Beneficiary.objects.filter(organisation=salvation_army).values()) == their_people
    assert Beneficiary.objects.filter(organisation=betania).count() == 3


def test_choice_values_by_romanian_or_dutch_label_in_any_case(betania, admin):
    with translation.override("ro"):
        romanian_category = str(Category.REFUGEE.label).upper()
    with translation.override("nl"):
        dutch_source = str(IntakeSource.HOTLINE.label).lower()
    people = [
        ["P-9", "Dana", romanian_category, "", "", "", "oradea", "01/02/2022", dutch_source, ""]
    ]

    result = run_import(
        workbook_bytes(people=people, assistance=[], activities=[], expenses=[]), betania, admin
    )

    assert result.problems == []
    person = Beneficiary.objects.get(alias="Dana")
    assert (person.category, person.intake_source, person.intake_date) == (
        Category.REFUGEE,
        IntakeSource.HOTLINE,
        date(2022, 2, 1),
    )


def test_a_csv_file_of_one_sheet_with_semicolons(betania, admin):
    content = (
        b"reference;alias;category;sex;birth_year;nationality;location;intake_date;how_they_came;status\n"
        b"C-1;Elena;refugee;female;1990;UA;oradea;03.03.2022;hotline;active\n"
    )

    result = run_import(content, betania, admin, filename="people.csv")

    assert result.problems == []
    assert Beneficiary.objects.get(alias="Elena").intake_date == date(2022, 3, 3)


HOSTILE_CELLS = {
    "a formula": '=HYPERLINK("http://evil.example","x")',
    "100 kB": "x" * 100_000,
    # XLSX cannot hold control characters; a CSV file can.
    "control characters": "Ana\x00\x07\x1b",
}


def people_csv(people) -> bytes:
    lines = [",".join(HEADERS["people"])]
    lines += [",".join(str(cell) for cell in row) for row in people]
    return "\n".join(lines).encode()


@pytest.mark.parametrize("name", HOSTILE_CELLS)
@pytest.mark.parametrize("column", range(10))
def test_hostile_cells_are_listed_never_a_500(client, admin, name, column):
    people = [row[:] for row in PEOPLE]
    people[0][column] = HOSTILE_CELLS[name]
    client.force_login(admin)
    if name == "control characters":
        upload = io.BytesIO(people_csv(people))
        upload.name = "hostile.csv"
    else:
        upload = io.BytesIO(workbook_bytes(people=people))
        upload.name = "hostile.xlsx"

    response = client.post(reverse("imports:spreadsheet"), {"spreadsheet": upload})

    assert response.status_code == 400
    assert b"import-problems" in response.content
    assert Beneficiary.objects.count() == 0


@pytest.mark.parametrize(
    "content", [b"", b"PK\x03\x04 not a zip", b"\xff\xfe\x00garbage", b"a,b\n1,2\n"]
)
@pytest.mark.parametrize("filename", ["broken.xlsx", "broken.csv"])
def test_a_file_that_is_no_workbook_is_refused_with_a_message(client, admin, content, filename):
    client.force_login(admin)
    upload = io.BytesIO(content)
    upload.name = filename

    response = client.post(reverse("imports:spreadsheet"), {"spreadsheet": upload})

    assert response.status_code == 400
    assert Beneficiary.objects.count() == 0


# -- the page ----------------------------------------------------------------------------------


def post_workbook(client, content, *, dry_run):
    upload = io.BytesIO(content)
    upload.name = "old.xlsx"
    data = {"spreadsheet": upload, **({"dry_run": "on"} if dry_run else {})}
    return client.post(reverse("imports:spreadsheet"), data)


def test_the_admin_checks_then_imports_on_the_page(client, admin, betania):
    client.force_login(admin)

    checked = post_workbook(client, workbook_bytes(), dry_run=True)
    assert Beneficiary.objects.count() == 0
    imported = post_workbook(client, workbook_bytes(), dry_run=False)

    assert checked.status_code == 200
    assert b"Dry run: nothing was written" in checked.content
    assert imported.status_code == 200
    assert b"Imported." in imported.content
    assert Beneficiary.objects.filter(organisation=betania).count() == 3
    assert set(
        AuditEvent.objects.filter(detail__endswith="imported").values_list("actor", flat=True)
    ) == {admin.pk}


def test_the_page_lists_every_bad_row_with_sheet_row_and_column(client, admin):
    people = [row[:] for row in PEOPLE]
    people[2][7] = "31.02.2022"
    client.force_login(admin)

    response = post_workbook(client, workbook_bytes(people=people), dry_run=False)

    assert response.status_code == 400
    problems = response.context["result"].problems
    assert [(p.sheet, p.row, p.column) for p in problems] == [
        ("people", 4, "intake_date"),
        ("assistance", 5, "person_reference"),
    ]
    assert b"&#x27;31.02.2022&#x27; is not a date" in response.content


def test_the_template_downloads_from_the_page(client, admin):
    client.force_login(admin)

    page = client.get(reverse("imports:spreadsheet"))
    template = client.get(reverse("imports:template"))

    assert page.status_code == 200
    assert reverse("imports:template").encode() in page.content
    assert template.status_code == 200
    assert load_workbook(io.BytesIO(template.content)).sheetnames == list(HEADERS)


@pytest.mark.parametrize(
    "role",
    [Role.CASEWORKER, Role.ORGANISATION_COORDINATOR, Role.PROGRAMME_COORDINATOR, Role.SITE_ADMIN],
)
def test_only_an_organisation_admin_imports(client, betania, role):
    member = make_member(
        role, None if role in (Role.PROGRAMME_COORDINATOR, Role.SITE_ADMIN) else betania
    )
    client.force_login(member)

    assert client.get(reverse("imports:spreadsheet")).status_code == 403
    assert post_workbook(client, workbook_bytes(), dry_run=False).status_code == 403
    assert Beneficiary.objects.count() == 0


# -- the command -------------------------------------------------------------------------------


def test_the_command_writes_the_template_and_imports_with_a_dry_run_first(betania, tmp_path):
    template = tmp_path / "template.xlsx"
    call_command("import_spreadsheet", "--template", str(template), stdout=io.StringIO())
    book = load_workbook(template)
    for row in PEOPLE:
        book["people"].append(row)
    book.save(template)
    output = io.StringIO()

    call_command(
        "import_spreadsheet",
        str(template),
        "--organisation",
        "betania",
        "--dry-run",
        stdout=output,
        stderr=io.StringIO(),
    )
    assert Beneficiary.objects.count() == 0
    call_command(
        "import_spreadsheet",
        str(template),
        "--organisation",
        "betania",
        stdout=output,
        stderr=io.StringIO(),
    )

    assert "people: 3 new, 0 changed, 0 already imported" in output.getvalue()
    assert "Dry run: nothing was written." in output.getvalue()
    assert Beneficiary.objects.filter(organisation=betania).count() == 3


def test_the_command_lists_the_bad_rows_and_fails(betania, tmp_path):
    path = tmp_path / "bad.xlsx"
    people = [row[:] for row in PEOPLE]
    people[0][6] = "atlantis"
    path.write_bytes(workbook_bytes(people=people, assistance=[]))
    output = io.StringIO()

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_spreadsheet",
            str(path),
            "--organisation",
            "betania",
            stdout=output,
            stderr=io.StringIO(),
        )

    assert "sheet people, row 2, column location: 'atlantis' is not a known location" in (
        output.getvalue()
    )
    assert Beneficiary.objects.count() == 0


def test_imported_people_take_the_codes_after_those_already_given(betania, admin):
    from tests.factories import BeneficiaryFactory

    BeneficiaryFactory(organisation=betania, code="BET-2022-0007", intake_date=date(2022, 1, 5))

    run_import(workbook_bytes(assistance=[]), betania, admin)

    assert sorted(
        Beneficiary.objects.filter(organisation=betania).values_list("code", flat=True)
    ) == ["BET-2022-0007", "BET-2022-0008", "BET-2022-0009", "BET-2022-0010"]


def test_a_formula_is_named_as_the_problem_of_its_cell(betania, admin):
    people = [row[:] for row in PEOPLE]
    people[0][1] = "=1+1"

    result = run_import(workbook_bytes(people=people, assistance=[]), betania, admin)

    assert [(p.sheet, p.row, p.column) for p in result.problems] == [("people", 2, "alias")]
    assert "formula" in result.problems[0].reason


def test_the_organisation_admin_finds_the_import_in_the_navigation(client, admin):
    client.force_login(admin)

    page = client.get(reverse("cases:home")).content.decode()

    assert f'href="{reverse("imports:spreadsheet")}"' in page


# -- what the reports make of it -----------------------------------------------------------------


def test_the_2022_table_counts_the_imported_people_beside_the_plans_targets(betania, admin):
    """Issue 9's "done when": the plan file loaded, a spreadsheet imported, and the 2022 table
    shows the plan's targets and remarks with the imported people's figures."""
    from pillars.models import Period
    from reports.tables import indicator_table

    def step_out_row():
        table = indicator_table(Period.objects.get(label="2022"))
        rows = [row for row in table.rows if row.report_row.indicator_id]
        return next(row for row in rows if row.report_row.indicator.code == "p1-step-out"), rows

    before, _rows = step_out_row()
    run_import(workbook_bytes(), betania, admin)
    after, rows = step_out_row()

    # Ana and Bianca (victim of trafficking, exiting prostitution) were helped in the main
    # project in 2022; Carla is a refugee.
    assert (before.figure.value, after.figure.value) == (0, 2)
    assert after.target == before.target is not None
    assert any(row.remark for row in rows)


@pytest.mark.parametrize(
    ("language", "reason"),
    [
        ("ro", "&#x27;31.02.2022&#x27; nu este o dată"),
        ("nl", "&#x27;31.02.2022&#x27; is geen datum"),
    ],
)
def test_the_reasons_are_in_the_importers_language(client, admin, language, reason):
    people = [row[:] for row in PEOPLE]
    people[2][7] = "31.02.2022"
    client.force_login(admin)
    client.post(reverse("set_language"), {"language": language, "next": "/"})

    response = post_workbook(client, workbook_bytes(people=people), dry_run=False)

    assert response.status_code == 400
    assert reason in response.content.decode()
    assert "people sheet cannot be imported" not in response.content.decode()
