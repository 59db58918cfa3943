from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import AuditEvent
from cases.enums import ReferralStatus
from cases.models import Referral
from pillars.models import Activity, Remark, ResultEntry, Target
from pillars.services import lock_period
from reports.links import url_or_none
from reports.tables import Status, status_of
from tests.factories import BeneficiaryFactory, make_member
from tests.reports.builders import add_records, build_plan
from tests.reports.reading import page_indicator_rows

TABLE = reverse("reports:indicator_table")


@pytest.fixture
def plan(db):
    return build_plan()


@pytest.fixture
def programme_coordinator(plan, client_of):
    return client_of(make_member(Role.PROGRAMME_COORDINATOR))


def results(response):
    return {label: result for _p, label, _t, result, _r in page_indicator_rows(response.content)}


# -- who may see what --------------------------------------------------------------------------

REPORT_URLS = [
    reverse(name)
    for name in (
        "reports:home",
        "reports:indicator_table",
        "reports:indicator_table_print",
        "reports:financial",
        "reports:financial_print",
        "reports:dashboard",
        "reports:referrals_dashboard",
        "reports:caseload_dashboard",
        "reports:budget_dashboard",
    )
]
EXPORT_URLS = [
    reverse(name, args=[file_format])
    for name in ("reports:indicator_table_export", "reports:financial_export")
    for file_format in ("xlsx", "docx", "csv")
]


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.DATA_PROTECTION_OFFICER, Role.SITE_ADMIN])
def test_roles_without_aggregates_see_no_report(plan, client_of, role):
    client = client_of(make_member(role, plan.ours))

    assert {client.get(url).status_code for url in REPORT_URLS + EXPORT_URLS} == {403}


def test_an_organisation_admin_views_reports_but_does_not_export(plan, client_of):
    client = client_of(make_member(Role.ORGANISATION_ADMIN, plan.ours))

    assert {client.get(url).status_code for url in REPORT_URLS} == {200}
    assert {client.get(url).status_code for url in EXPORT_URLS} == {403}


def test_an_anonymous_visitor_is_sent_to_log_in(plan, client):
    response = client.get(TABLE)

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# -- the records behind a figure ---------------------------------------------------------------


def records_url(indicator="people", **query):
    query = {"period": "2022", "indicator": indicator, **query}
    return f"{reverse('reports:indicator_records')}?" + "&".join(
        f"{key}={value}" for key, value in query.items()
    )


def test_the_records_behind_a_figure_list_people_by_code_and_write_one_audit_row(plan, client_of):
    people = add_records(plan, 3)
    client = client_of(make_member(Role.ORGANISATION_COORDINATOR, plan.ours))
    before = AuditEvent.objects.count()

    response = client.get(records_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert all(person.code in content for person in people)
    assert not [person.alias for person in people if person.alias in content]
    assert "Legal Name" not in content
    assert AuditEvent.objects.count() == before + 1


def test_the_records_view_audit_row_names_the_figure(plan, client_of):
    add_records(plan, 1)
    coordinator = make_member(Role.ORGANISATION_COORDINATOR, plan.ours)

    client_of(coordinator).get(records_url())

    event = AuditEvent.objects.get(actor=coordinator, action="view")
    assert event.object_type == "pillars.indicator"
    assert "people" in event.detail and "2022" in event.detail


def test_another_organisation_never_sees_our_records_behind_its_figures(plan, client_of):
    ours = add_records(plan, 3)
    theirs = add_records(plan, 2, organisation=plan.theirs)
    outsider = client_of(make_member(Role.ORGANISATION_COORDINATOR, plan.theirs))

    response = outsider.get(records_url(organisation="ours"))

    content = response.content.decode()
    assert all(person.code in content for person in theirs)
    assert not [person.code for person in ours if person.code in content]


@pytest.mark.parametrize(
    "query",
    [
        {"indicator": "no-such-indicator"},
        {"indicator": ""},
        {"period": "1999"},
        {"start": "2022-05-01"},
    ],
)
def test_a_missing_figure_is_not_found(plan, client_of, query):
    client = client_of(make_member(Role.ORGANISATION_COORDINATOR, plan.ours))

    assert client.get(records_url(**query)).status_code == 404
    assert AuditEvent.objects.filter(action="view").count() == 0


def test_a_hand_entered_figure_has_no_records(plan, client_of):
    client = client_of(make_member(Role.ORGANISATION_COORDINATOR, plan.ours))

    assert client.get(records_url("partnerships")).status_code == 404


def test_the_programme_coordinator_gets_each_organisations_share_instead(
    plan, programme_coordinator
):
    add_records(plan, 2)
    add_records(plan, 6, organisation=plan.theirs)

    table = programme_coordinator.get(TABLE, {"period": "2022"}).content.decode()
    response = programme_coordinator.get(
        f"{reverse('reports:indicator_breakdown')}?period=2022&indicator=people"
    )

    assert reverse("reports:indicator_breakdown") in table
    assert reverse("reports:indicator_records") not in table
    shares = {organisation.slug: figure for organisation, figure in response.context["breakdown"]}
    # People are counted: two is a small count, suppressed for a partnership-wide view
    assert (shares["ours"], shares["theirs"]) == ("<5", 6)


def test_an_organisation_gets_no_breakdown(plan, client_of):
    client = client_of(make_member(Role.ORGANISATION_COORDINATOR, plan.ours))

    response = client.get(f"{reverse('reports:indicator_breakdown')}?period=2022&indicator=people")

    assert response.status_code == 404


# -- what the table shows ----------------------------------------------------------------------


def test_rows_follow_the_layout_with_header_rows_and_indented_sub_rows(plan, programme_coordinator):
    add_records(plan, 2)

    response = programme_coordinator.get(TABLE, {"period": "2022"})

    assert [label for _p, label, *_ in page_indicator_rows(response.content)] == [
        "People assisted",
        "Volunteers",
        "Conferences",
        "participants",
        "Referral cases",
        "Partnerships",
        "People at conferences",
        "Safety nets",
    ]
    content = response.content.decode()
    assert content.count('class="report-row header-row') == 1
    assert content.count(" sub-row") == 1


@pytest.mark.parametrize(
    ("result", "target", "expected"),
    [(10, 10, Status.MET), (9, 10, Status.CLOSE), (8, 10, Status.BEHIND), (0, 10, Status.BEHIND)],
)
def test_the_status_follows_the_threshold(result, target, expected):
    assert status_of(result * 100 // target) == expected


def test_the_threshold_is_a_setting(settings):
    settings.REPORT_CLOSE_TO_TARGET_PERCENT = 95

    assert status_of(90) == Status.BEHIND
    assert status_of(96) == Status.CLOSE


def test_a_target_of_zero_shows_no_percentage_and_no_status(plan, programme_coordinator):
    add_records(plan, 3)

    response = programme_coordinator.get(TABLE, {"period": "2022"})

    rows = {row.label: row for row in response.context["table"].rows}
    assert (rows["Volunteers"].target, rows["Volunteers"].result) == (0, 3)
    assert rows["Volunteers"].percent is None and rows["Volunteers"].status is None
    assert (rows["People assisted"].percent, rows["People assisted"].status) == (30, Status.BEHIND)


def test_the_status_reads_without_colour(plan, programme_coordinator):
    add_records(plan, 10)

    content = programme_coordinator.get(TABLE, {"period": "2022"}).content.decode()

    assert "row-status-met" in content
    assert '<span class="status-symbol" aria-hidden="true">✓</span> met' in content


def test_an_override_and_a_frozen_figure_say_so(plan, programme_coordinator):
    add_records(plan, 4)
    coordinator = make_member(Role.PROGRAMME_COORDINATOR)
    ResultEntry.objects.create(
        period=plan.year,
        indicator=plan.indicators["referrals"],
        value=9,
        reason="Two referrals came by phone",
        entered_by=coordinator,
    )
    lock_period(plan.year, by=coordinator)
    add_records(plan, 1)  # the records change after the period was locked

    response = programme_coordinator.get(TABLE, {"period": "2022"})

    rows = {row.label: row for row in response.context["table"].rows}
    assert rows["Referral cases"].result == 9
    assert rows["People assisted"].result == 4
    assert rows["People assisted"].needs_restatement
    content = response.content.decode()
    assert "overridden: Two referrals came by phone (the records compute 5)" in content
    assert "needs restatement: the records now compute 5" in content


def test_filters_narrow_the_figures(plan, programme_coordinator):
    # Six: a narrowed count of people below five reads "<5" (test_small_counts_everywhere.py).
    add_records(plan, 6)
    add_records(plan, 2, organisation=plan.theirs)

    everyone = results(programme_coordinator.get(TABLE, {"period": "2022"}))
    ours = results(programme_coordinator.get(TABLE, {"period": "2022", "organisation": "ours"}))
    elsewhere = results(
        programme_coordinator.get(TABLE, {"period": "2022", "location": "bucharest-none"})
    )

    assert (everyone["People assisted"], ours["People assisted"]) == (8, 6)
    filtered = programme_coordinator.get(TABLE, {"period": "2022", "organisation": "ours"})
    shares = [row for row in filtered.context["table"].rows if row.percent is not None]
    assert shares and all(row.status is None for row in shares)
    assert "% of the partnership\u2019s target" in filtered.content.decode()
    assert ours["Partnerships"] is None
    assert elsewhere == {}  # an unknown location is an input error, shown on the form


def test_a_pillar_alone(plan, programme_coordinator):
    response = programme_coordinator.get(TABLE, {"period": "2022", "pillar": "2"})

    assert {row.pillar for row in response.context["table"].rows} == {2}


def test_a_custom_range_computes_every_figure_and_has_no_targets(plan, programme_coordinator):
    add_records(plan, 60)  # one a day from 1 January 2022

    response = programme_coordinator.get(TABLE, {"start": "2022-01-01", "end": "2022-01-31"})

    table = response.context["table"]
    rows = {row.label: row for row in table.rows}
    assert table.is_custom_range
    assert rows["People assisted"].result == 31
    assert rows["People assisted"].target is None
    assert rows["Partnerships"].result is None
    assert not Remark.objects.filter(text__in=[row.remark for row in table.rows if row.remark])


@pytest.mark.parametrize(
    "query",
    [
        {"period": "nonsense"},
        {"start": "2022-05-01"},
        {"start": "2022-05-01", "end": "2022-04-01"},
        {"start": "2019-01-01", "end": "2019-02-01"},
        {"start": "not a date", "end": "2022-04-01"},
        {"pillar": "x"},
        {"organisation": "nobody"},
    ],
)
def test_bad_input_is_shown_on_the_form(plan, programme_coordinator, query):
    response = programme_coordinator.get(TABLE, query)
    export = programme_coordinator.get(
        reverse("reports:indicator_table_export", args=["csv"]), query
    )

    assert response.status_code == 400
    assert response.context["table"] is None
    assert response.context["form"].errors
    assert export.status_code == 400
    assert AuditEvent.objects.filter(action="export").count() == 0


def test_an_unknown_export_format_is_not_found(plan, programme_coordinator):
    url = reverse("reports:indicator_table_export", args=["pdf"])

    assert programme_coordinator.get(url).status_code == 404
    assert (
        programme_coordinator.get(reverse("reports:financial_export", args=["pdf"])).status_code
        == 404
    )


def test_the_table_links_the_print_view_and_every_export(plan, programme_coordinator):
    content = programme_coordinator.get(TABLE, {"period": "2022"}).content.decode()

    assert f"{reverse('reports:indicator_table_print')}?period=2022" in content
    for file_format in ("xlsx", "docx", "csv"):
        assert (
            f"{reverse('reports:indicator_table_export', args=[file_format])}?period=2022"
            in content
        )


def test_the_home_page_links_every_period(plan, programme_coordinator):
    content = programme_coordinator.get(reverse("reports:home")).content.decode()

    for label in ("2022", "2022-2023"):
        assert f"{TABLE}?period={label}" in content
    assert reverse("reports:financial") in content
    assert reverse("reports:budget_dashboard") in content


# -- dashboards --------------------------------------------------------------------------------


def test_the_pillar_dashboard_draws_svg_with_text_alternatives(plan, programme_coordinator):
    add_records(plan, 6)

    content = programme_coordinator.get(reverse("reports:dashboard"), {"period": "2022"}).content
    content = content.decode()

    assert content.count('data-testid="indicator-card"') == 7
    assert '<svg viewBox="0 0 640 220" role="img"' in content
    assert "<title id=" in content and "<desc id=" in content
    assert "<script>" not in content and "style=" not in content


def test_the_referrals_dashboard_counts_by_outcome(plan, client_of):
    add_records(plan, 6)  # six accepted referrals to our organisation
    person = BeneficiaryFactory(organisation=plan.theirs)
    sent = timezone.make_aware(timezone.datetime(2022, 6, 1, 10))
    for status, answered_after in [(ReferralStatus.DECLINED, 1), (ReferralStatus.SENT, None)]:
        Referral.objects.create(
            beneficiary=person,
            from_organisation=plan.theirs,
            to_organisation=plan.ours,
            due_date=date(2022, 6, 15),
            status=status,
            sent_on=sent.date(),
            sent_at=sent,
            responded_at=sent + timedelta(days=answered_after) if answered_after else None,
        )
    accepted = Referral.objects.filter(status=ReferralStatus.ACCEPTED).order_by("pk")
    for days, referral in enumerate(accepted, start=1):
        Referral.objects.filter(pk=referral.pk).update(
            sent_at=sent, responded_at=sent + timedelta(days=days)
        )
    client = client_of(make_member(Role.ORGANISATION_COORDINATOR, plan.ours))

    summary = client.get(reverse("reports:referrals_dashboard"), {"period": "2022"}).context[
        "summary"
    ]

    assert (summary.sent, summary.accepted, summary.declined, summary.awaiting_answer) == (
        8,
        6,
        1,
        1,
    )
    assert summary.overdue == 1
    assert summary.median_days_to_accept == 3.5


def test_the_budget_burn_marks_an_overspent_line(plan, programme_coordinator):
    add_records(plan, 120)  # 120 x 10 euros on a staff line of 1000

    response = programme_coordinator.get(reverse("reports:budget_dashboard"))

    burn = {row.line.label: bar for row, bar in response.context["burn"]}
    assert (burn["Staff"].percent, burn["Staff"].over) == (120, True)
    assert "overspent" in response.content.decode()


def test_a_link_to_another_slice_appears_only_once_its_page_exists(plan, client_of):
    add_records(plan, 1)
    client = client_of(make_member(Role.ORGANISATION_COORDINATOR, plan.ours))
    activity = Activity.objects.get()

    response = client.get(records_url("participants"))

    assert activity.title in response.content.decode()
    expected = url_or_none("pillars:activity_detail", public_id=activity.public_id)
    assert [link for _record, link in response.context["items"]] == [expected]
    assert url_or_none("pillars:no_such_page") is None
    assert url_or_none("reports:home") == reverse("reports:home")


def test_targets_come_from_the_period(plan, programme_coordinator):
    Target.objects.filter(period=plan.year, indicator=plan.indicators["people"]).update(value=40)

    rows = page_indicator_rows(programme_coordinator.get(TABLE, {"period": "2022"}).content)

    assert rows[0][2] == 40
