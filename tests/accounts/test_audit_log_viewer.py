import csv
import io
from datetime import UTC, datetime, timedelta

import lxml.html
import pytest
from django.urls import reverse

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from tests.factories import OrganisationFactory, make_member

AUDIT_LOG = reverse("accounts:audit_log")
EXPORT = reverse("accounts:audit_log_export")
DPO_PAGES = [
    AUDIT_LOG,
    reverse("accounts:unusual_access"),
    reverse("accounts:records_of_processing"),
]


@pytest.fixture
def dpo(db):
    return make_member(Role.DATA_PROTECTION_OFFICER)


@pytest.fixture
def dpo_client(client_of, dpo):
    return client_of(dpo)


def event(actor, *, at, action=AuditAction.VIEW, reference="BET-2023-0001", **fields):
    return AuditEvent.objects.create(
        actor=actor,
        organisation=fields.pop("organisation", actor.organisation if actor else None),
        occurred_at=at,
        action=action,
        object_type="cases.beneficiary" if reference else "",
        object_reference=reference,
        **fields,
    )


def shown_references(response):
    return [event.object_reference for event in response.context["page"]]


# --- Who may see it ---------------------------------------------------------------------------
@pytest.mark.parametrize("role", [role for role in Role if role != Role.DATA_PROTECTION_OFFICER])
@pytest.mark.parametrize("url", DPO_PAGES)
def test_only_the_data_protection_officer_sees_the_audit_pages(client_of, betania, role, url):
    assert client_of(make_member(role, betania)).get(url).status_code == 403


@pytest.mark.parametrize("role", [role for role in Role if role != Role.DATA_PROTECTION_OFFICER])
def test_only_the_data_protection_officer_exports_the_audit_log(client_of, betania, role):
    response = client_of(make_member(role, betania)).post(EXPORT)

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize("url", DPO_PAGES)
def test_the_pages_have_no_inline_style_or_script(dpo_client, url):
    page = dpo_client.get(url).content.decode()

    assert " style=" not in page
    assert "<script>" not in page


# --- Filters ---------------------------------------------------------------------------------
@pytest.fixture
def trail(alice, charlie):
    """Alice's and Charlie's access, over three days."""
    day = datetime(2024, 3, 4, 10, tzinfo=UTC)
    return [
        event(alice, at=day, reference="BET-2023-0001"),
        event(alice, at=day + timedelta(days=1), reference="BET-2023-0002"),
        event(alice, at=day + timedelta(days=2), action=AuditAction.EXPORT, reference="BET-X"),
        event(charlie, at=day + timedelta(days=1), reference="OUT-2023-0001"),
    ]


# Events at the same moment list the later-written first.
@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"action": "view"}, ["OUT-2023-0001", "BET-2023-0002", "BET-2023-0001"]),
        ({"actor": "alice"}, ["BET-X", "BET-2023-0002", "BET-2023-0001"]),
        ({"organisation": "outsider-test"}, ["OUT-2023-0001"]),
        ({"record": " BET-2023-0002 "}, ["BET-2023-0002"]),
        ({"action": "export"}, ["BET-X"]),
        ({"occurred_from": "2024-03-05", "occurred_until": "2024-12-31"},
         ["BET-X", "OUT-2023-0001", "BET-2023-0002"]),
        ({"occurred_until": "2024-03-05"}, ["OUT-2023-0001", "BET-2023-0002", "BET-2023-0001"]),
        ({"occurred_from": "2024-03-05", "occurred_until": "2024-03-05", "actor": "alice"},
         ["BET-2023-0002"]),
    ],
)  # fmt: skip
def test_the_log_filters_by_user_organisation_record_action_and_days(
    dpo_client, alice, trail, filters, expected
):
    if "actor" in filters:
        filters["actor"] = str(alice.public_id)

    response = dpo_client.get(AUDIT_LOG, filters)

    assert shown_references(response) == expected


def test_an_unknown_user_in_the_filter_is_a_form_error_not_a_crash(dpo_client, trail):
    response = dpo_client.get(AUDIT_LOG, {"actor": "not-a-uuid", "occurred_from": "yesterday"})

    assert response.status_code == 200
    assert response.context["filter"].form.errors


def test_the_log_shows_users_by_address_and_records_by_code(dpo_client, alice, trail):
    page = dpo_client.get(AUDIT_LOG, {"record": "BET-2023-0001"}).content.decode()

    assert alice.email in page
    assert "BET-2023-0001" in page
    assert "2024-03-04 10:00:00" in page


@pytest.mark.parametrize("events", [1, 50])
def test_a_page_of_the_log_needs_the_same_queries_for_one_or_fifty_events(
    dpo_client, alice, django_assert_num_queries, events
):
    start = datetime(2024, 3, 4, tzinfo=UTC)
    for number in range(events):
        event(alice, at=start + timedelta(minutes=number), reference=f"BET-2023-{number:04d}")

    # Session, user; the filter's users and organisations (the user's, the record's); count and
    # page of events; saving the session's last activity (savepoint, update, release).
    with django_assert_num_queries(10):
        response = dpo_client.get(AUDIT_LOG, {"action": "view"})

    assert len(shown_references(response)) == events


def test_the_log_is_paginated(dpo_client, alice):
    start = datetime(2024, 3, 4, tzinfo=UTC)
    for number in range(60):
        event(alice, at=start + timedelta(minutes=number), reference=f"BET-2023-{number:04d}")

    first = dpo_client.get(AUDIT_LOG, {"action": "view"})
    second = dpo_client.get(AUDIT_LOG, {"action": "view", "page": 2})

    assert len(shown_references(first)) == 50
    assert shown_references(second)[-1] == "BET-2023-0000"
    assert "page=2" in first.content.decode()
    assert "action=view" in first.content.decode().split("page=2")[0].rsplit('href="', 1)[1]


@pytest.fixture
def counted_up_to_20(monkeypatch):
    """The log counts its events only up to a bound (millions at national scale): 20 here."""
    monkeypatch.setattr("accounts.views.AUDIT_LOG_COUNTED_UP_TO", 20)
    monkeypatch.setattr("accounts.views.AUDIT_LOG_PAGE_SIZE", 10)


def test_a_log_longer_than_the_bound_says_more_than_and_still_pages_to_its_end(
    dpo_client, alice, counted_up_to_20
):
    start = datetime(2024, 3, 4, tzinfo=UTC)
    for number in range(35):
        event(alice, at=start + timedelta(minutes=number), reference=f"BET-2023-{number:04d}")

    first = dpo_client.get(AUDIT_LOG, {"action": "view"})
    beyond_the_bound = dpo_client.get(AUDIT_LOG, {"action": "view", "page": 3})
    last = dpo_client.get(AUDIT_LOG, {"action": "view", "page": 4})

    page = lxml.html.fromstring(first.content)
    [count] = page.xpath('//*[@data-testid="event-count"]')
    assert count.text_content().startswith("More than 20 events")
    assert "Page 1" in first.content.decode() and "Page 1 of" not in first.content.decode()
    assert shown_references(beyond_the_bound)[0] == "BET-2023-0014"
    assert "page=4" in beyond_the_bound.content.decode()
    assert shown_references(last) == [f"BET-2023-{number:04d}" for number in range(4, -1, -1)]
    assert "page=5" not in last.content.decode()
    assert "page=3" in last.content.decode()


def test_a_page_past_the_end_of_a_long_log_shows_the_last_counted_page(
    dpo_client, alice, counted_up_to_20
):
    start = datetime(2024, 3, 4, tzinfo=UTC)
    for number in range(35):
        event(alice, at=start + timedelta(minutes=number), reference=f"BET-2023-{number:04d}")

    response = dpo_client.get(AUDIT_LOG, {"action": "view", "page": 99})

    assert response.status_code == 200
    assert shown_references(response)


def test_a_log_within_the_bound_is_counted_exactly(dpo_client, alice, counted_up_to_20):
    start = datetime(2024, 3, 4, tzinfo=UTC)
    for number in range(20):
        event(alice, at=start + timedelta(minutes=number), reference=f"BET-2023-{number:04d}")

    response = dpo_client.get(AUDIT_LOG, {"action": "view"})

    [count] = lxml.html.fromstring(response.content).xpath('//*[@data-testid="event-count"]')
    assert count.text_content().strip() == "20 events"
    assert "Page 1 of 2" in response.content.decode()


@pytest.mark.parametrize("events", [1, 50])
def test_a_page_of_a_log_longer_than_the_bound_needs_as_many_queries(
    dpo_client, alice, django_assert_num_queries, monkeypatch, events
):
    monkeypatch.setattr("accounts.views.AUDIT_LOG_COUNTED_UP_TO", 20 if events > 1 else 1_000)
    start = datetime(2024, 3, 4, tzinfo=UTC)
    for number in range(events):
        event(alice, at=start + timedelta(minutes=number), reference=f"BET-2023-{number:04d}")

    # As a log counted exactly: the count (up to the bound) and the page (one row more).
    with django_assert_num_queries(10):
        dpo_client.get(AUDIT_LOG, {"action": "view"})


# --- Export ----------------------------------------------------------------------------------
def read_csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_export_is_the_filtered_log_as_csv_and_is_itself_audited(dpo_client, dpo, trail):
    response = dpo_client.post(f"{EXPORT}?action=export")

    rows = read_csv(response)
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == 'attachment; filename="audit-log.csv"'
    assert rows[0][:4] == ["time_utc", "user", "organisation", "action"]
    # The export's own row is written first, so the file lists itself.
    assert [(row[1], row[5]) for row in rows[1:]] == [
        (dpo.email, ""),
        ("alice@betania.test", "BET-X"),
    ]
    export = AuditEvent.objects.get(action=AuditAction.EXPORT, actor=dpo)
    assert export.detail == "audit log CSV; action=export"


def test_exported_cells_never_run_as_spreadsheet_formulas(dpo_client, alice):
    for detail in ['=HYPERLINK("https://evil.example")', "+1+1", "-2", "@SUM(A1)", "plain"]:
        event(alice, at=datetime(2024, 3, 4, tzinfo=UTC), action=AuditAction.UPDATE,
              detail=detail)  # fmt: skip

    rows = read_csv(dpo_client.post(f"{EXPORT}?action=update"))

    details = sorted(row[6] for row in rows[1:])
    assert details == ["'+1+1", "'-2", "'=HYPERLINK(\"https://evil.example\")", "'@SUM(A1)",
                       "plain"]  # fmt: skip


def test_an_export_with_a_wrong_filter_goes_back_to_the_page_instead(dpo_client):
    response = dpo_client.post(f"{EXPORT}?occurred_from=yesterday")

    assert response.status_code == 302
    assert response.url == f"{AUDIT_LOG}?occurred_from=yesterday"
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_export_needs_a_post(dpo_client):
    assert dpo_client.get(EXPORT).status_code == 405
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


# --- Unusual access --------------------------------------------------------------------------
UNUSUAL = reverse("accounts:unusual_access")
REVIEW = {"date_from": "2024-01-01", "date_until": "2024-12-31"}


@pytest.fixture
def small_thresholds(settings):
    settings.UNUSUAL_ACCESS_RECORDS = 5
    settings.UNUSUAL_ACCESS_WINDOW = timedelta(minutes=10)


def open_records(user, count, *, start, every, prefix="BET-2024"):
    for number in range(count):
        event(user, at=start + number * every, reference=f"{prefix}-{number:04d}")


def burst_users(response):
    return {row["actor__email"]: row["most_records"] for row in response.context["bursts"]}


def test_a_user_who_opens_many_records_in_a_short_time_is_reported(
    dpo_client, betania, small_thresholds
):
    # Mid-morning on a Tuesday: none of this is out of hours.
    start = datetime(2024, 3, 5, 8, tzinfo=UTC)
    fast = make_member(Role.CASEWORKER, betania, email="fast@betania.test")
    open_records(fast, 6, start=start, every=timedelta(minutes=1))
    steady = make_member(Role.CASEWORKER, betania, email="steady@betania.test")
    open_records(steady, 12, start=start, every=timedelta(minutes=3))
    same_record = make_member(Role.CASEWORKER, betania, email="same@betania.test")
    for minute in range(8):
        event(same_record, at=start + timedelta(minutes=minute), reference="BET-2024-0001")

    response = dpo_client.get(UNUSUAL, REVIEW)

    assert burst_users(response) == {"fast@betania.test": 6}
    assert not response.context["out_of_hours"]


def test_a_burst_across_the_review_start_counts_the_records_just_before(
    dpo_client, betania, small_thresholds
):
    fast = make_member(Role.CASEWORKER, betania, email="fast@betania.test")
    open_records(
        fast, 5, start=datetime(2024, 3, 4, 23, 55, tzinfo=UTC), every=timedelta(minutes=2)
    )

    response = dpo_client.get(UNUSUAL, {"date_from": "2024-03-05", "date_until": "2024-03-05"})

    assert burst_users(response) == {"fast@betania.test": 5}


@pytest.mark.parametrize(
    ("time_zone", "utc_time", "outside"),
    [
        # Bucharest is UTC+2 in winter, UTC+3 in summer; Amsterdam UTC+1 and UTC+2.
        ("Europe/Bucharest", datetime(2024, 1, 9, 17, 30, tzinfo=UTC), False),  # 19:30 Tue
        ("Europe/Bucharest", datetime(2024, 1, 9, 18, 30, tzinfo=UTC), True),  # 20:30 Tue
        ("Europe/Bucharest", datetime(2024, 7, 9, 17, 30, tzinfo=UTC), True),  # 20:30 Tue
        ("Europe/Bucharest", datetime(2024, 7, 9, 4, 30, tzinfo=UTC), False),  # 07:30 Tue
        ("Europe/Amsterdam", datetime(2024, 7, 9, 4, 30, tzinfo=UTC), True),  # 06:30 Tue
        ("Europe/Amsterdam", datetime(2024, 1, 9, 6, 30, tzinfo=UTC), False),  # 07:30 Tue
        ("Europe/Amsterdam", datetime(2024, 7, 13, 10, 0, tzinfo=UTC), True),  # 12:00 Sat
    ],
)
def test_access_outside_working_hours_of_the_organisations_time_zone_is_reported(
    dpo_client, time_zone, utc_time, outside
):
    organisation = OrganisationFactory(time_zone=time_zone)
    user = make_member(Role.CASEWORKER, organisation, email="late@org.test")
    event(user, at=utc_time)

    response = dpo_client.get(UNUSUAL, REVIEW)

    reported = {row["actor__email"]: row for row in response.context["out_of_hours"]}
    assert ("late@org.test" in reported) is outside
    if outside:
        assert reported["late@org.test"]["events"] == 1
        assert reported["late@org.test"]["time_zone"] == time_zone


def test_a_reversed_review_period_is_a_form_error(dpo_client):
    response = dpo_client.get(UNUSUAL, {"date_from": "2024-05-01", "date_until": "2024-04-01"})

    assert response.status_code == 200
    assert response.context["form"].errors


@pytest.mark.parametrize("users", [1, 20])
def test_the_unusual_access_report_needs_the_same_queries_for_one_or_twenty_users(
    dpo_client, betania, small_thresholds, django_assert_num_queries, users
):
    for number in range(users):
        user = make_member(Role.CASEWORKER, betania, email=f"user{number}@betania.test")
        open_records(
            user, 6, start=datetime(2024, 3, 5, 21, tzinfo=UTC), every=timedelta(minutes=1)
        )

    # Session, user; the two reports and the details of the users out of hours (grouped by
    # user id alone, see accounts.unusual_access); saving the session (savepoint, update,
    # release).
    with django_assert_num_queries(8):
        response = dpo_client.get(UNUSUAL, REVIEW)

    assert len(burst_users(response)) == users
    assert len(response.context["out_of_hours"]) == users


def test_the_log_shows_and_filters_the_users_and_the_records_organisation(
    dpo_client, alice, charlie, betania
):
    # Charlie, of another organisation, opens a record of Betania's (say, after a referral).
    start = datetime(2024, 3, 4, tzinfo=UTC)
    event(charlie, at=start, reference="BET-2023-0007", organisation=betania)
    event(alice, at=start + timedelta(minutes=1), reference="BET-2023-0008")

    by_charlies_staff = dpo_client.get(AUDIT_LOG, {"user_organisation": charlie.organisation.slug})
    on_betanias_records = dpo_client.get(AUDIT_LOG, {"organisation": betania.slug})

    assert shown_references(by_charlies_staff) == ["BET-2023-0007"]
    assert shown_references(on_betanias_records) == ["BET-2023-0008", "BET-2023-0007"]
    row = lxml.html.fromstring(by_charlies_staff.content).xpath("//table//tbody/tr")[0]
    cells = [cell.text_content().strip() for cell in row.xpath("td")]
    assert cells[2:4] == [charlie.organisation.name, betania.name]


def test_times_and_days_are_in_the_viewers_time_zone(dpo_client, alice, settings):
    # The partnership's roles read the site's time zone, like every other page of theirs.
    settings.TIME_ZONE = "Europe/Bucharest"
    event(alice, at=datetime(2024, 3, 4, 23, 30, tzinfo=UTC), reference="BET-2023-0009")

    fifth = dpo_client.get(
        AUDIT_LOG, {"occurred_from": "2024-03-05", "occurred_until": "2024-03-05"}
    )

    assert shown_references(fifth) == ["BET-2023-0009"]
    assert b"2024-03-05 01:30:00" in fifth.content
    assert b"Time (Europe/Bucharest)" in fifth.content
