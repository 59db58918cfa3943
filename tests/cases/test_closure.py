"""Closing a case with a reason and a date, reopening it with a reason: both on the timeline and
audited; the retention period counts from the closing date, not from the last edit."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from cases import services
from cases.models import Beneficiary, CaseEvent
from cases.selectors import retention_due_for, timeline_of
from tests.factories import ORGANISATION_TIME_ZONE, BeneficiaryFactory, make_member


def close(person, by, on=date(2023, 5, 2), reason="moved_abroad"):
    return services.close_case(person, reason=reason, on=on, by=by, note="Went to her sister")


def test_closing_stores_the_reason_and_date_and_shows_on_the_timeline(person, alice):
    close(person, alice)

    person.refresh_from_db()
    assert (person.status, person.closed_on, person.closure_reason) == (
        "closed",
        date(2023, 5, 2),
        "moved_abroad",
    )
    entry = next(line for line in timeline_of(person, [], alice) if line.kind == "case")
    assert (entry.on, entry.title) == (date(2023, 5, 2), "Case closed")
    assert "Moved abroad" in entry.detail
    audit = AuditEvent.objects.latest("id")
    assert (audit.action, audit.object_reference, audit.detail) == (
        AuditAction.TRANSITION,
        person.code,
        "case closed (moved_abroad)",
    )


def test_closed_as_reintegrated_the_status_says_so(person, alice):
    close(person, alice, reason="reintegrated")

    person.refresh_from_db()
    assert person.status == "reintegrated"


def test_reopening_needs_a_reason_and_makes_the_case_active(person, alice):
    close(person, alice)
    with pytest.raises(ValidationError, match="Say why"):
        services.reopen_case(person, reason="", on=date(2023, 9, 1), by=alice)

    services.reopen_case(person, reason="She came back", on=date(2023, 9, 1), by=alice)

    person.refresh_from_db()
    assert (person.status, person.closed_on, person.closure_reason) == ("active", None, "")
    kinds = list(CaseEvent.objects.filter(beneficiary=person).values_list("kind", "on"))
    assert kinds == [("reopened", date(2023, 9, 1)), ("closed", date(2023, 5, 2))]


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (
            timezone.localdate(timezone=ZoneInfo(ORGANISATION_TIME_ZONE)) + timedelta(days=1),
            "future",
        ),
        (date(2020, 1, 1), "before the intake"),
    ],
)
def test_a_closing_date_in_the_future_or_before_intake_is_refused(person, alice, on, message):
    with pytest.raises(ValidationError, match=message):
        close(person, alice, on=on)
    person.refresh_from_db()
    assert person.status == "active"


def test_a_closed_case_is_not_closed_twice_nor_an_open_one_reopened(person, alice):
    with pytest.raises(ValidationError, match="open"):
        services.reopen_case(person, reason="x", on=date(2023, 1, 1), by=alice)
    close(person, alice)
    with pytest.raises(ValidationError, match="already closed"):
        close(person, alice)


def test_another_organisation_cannot_close_her_case(person, ijm_caseworker):
    with pytest.raises(ValidationError, match="Only the organisation that owns"):
        close(person, ijm_caseworker)


def test_retention_counts_from_the_closing_date_not_the_last_edit(betania, alice):
    dpo = make_member(Role.DATA_PROTECTION_OFFICER)
    long_ago = date(2012, 1, 1)
    closed_long_ago = BeneficiaryFactory(organisation=betania, intake_date=long_ago)
    closed_lately = BeneficiaryFactory(organisation=betania, intake_date=long_ago)
    close(closed_long_ago, alice, on=date(2013, 1, 1))
    close(closed_lately, alice, on=timezone.localdate() - timedelta(days=30))
    # Both records were edited long after (or long before) they were closed: it does not matter.
    Beneficiary.objects.filter(pk=closed_lately.pk).update(
        updated_at=datetime(2013, 1, 1, tzinfo=UTC)
    )

    assert list(retention_due_for(dpo)) == [closed_long_ago]


def test_the_pages_close_and_reopen_with_a_reason(client_of, alice, person):
    client = client_of(alice)
    close_url = reverse("cases:case_close", kwargs={"code": person.code})

    refused = client.post(close_url, {"reason": "", "on": "2023-05-02"})
    closed = client.post(close_url, {"reason": "lost_contact", "on": "2023-05-02"})

    assert refused.status_code == 400
    assert closed.status_code == 302
    page = client.get(reverse("cases:beneficiary_detail", kwargs={"code": person.code}))
    assert "Lost contact" in page.content.decode()
    assert reverse("cases:case_reopen", kwargs={"code": person.code}) in page.content.decode()
    reopened = client.post(
        reverse("cases:case_reopen", kwargs={"code": person.code}),
        {"reason": "She called again", "on": "2023-06-01"},
    )
    assert reopened.status_code == 302
    person.refresh_from_db()
    assert person.status == "active"
