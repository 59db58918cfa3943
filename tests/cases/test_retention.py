"""The retention list: closed records with no activity for RECORD_RETENTION_YEARS, and the one
action that anonymises them all through the same erasure as a request."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.urls import reverse

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from cases.models import Beneficiary
from cases.selectors import retention_cutoff, retention_due_for
from tests.cases.factories import AssistanceFactory, ConsentEventFactory, ReferralFactory
from tests.factories import BeneficiaryFactory, make_member

LONG_AGO = date(2015, 3, 1)


@pytest.fixture
def dpo(db):
    return make_member(Role.DATA_PROTECTION_OFFICER)


def closed_record(organisation, *, status="closed", last_change=LONG_AGO, **fields):
    person = BeneficiaryFactory(
        organisation=organisation, status=status, intake_date=LONG_AGO, **fields
    )
    Beneficiary.objects.filter(pk=person.pk).update(
        updated_at=datetime.combine(last_change, time(), tzinfo=UTC)
    )
    return person


@pytest.fixture
def records(betania, ijm):
    """Two records due, and five that are not, each for another reason."""
    recent = date.today() - timedelta(days=30)
    helped_lately = closed_record(betania)
    AssistanceFactory(beneficiary=helped_lately, date=recent)
    referred_lately = closed_record(betania)
    ReferralFactory(beneficiary=referred_lately, to_organisation=ijm, sent_on=recent)
    consented_lately = closed_record(betania)
    ConsentEventFactory(beneficiary=consented_lately, partner=ijm, date=recent)
    return {
        "due": [closed_record(betania), closed_record(ijm, status="reintegrated")],
        "kept": [
            closed_record(betania, status="active"),
            closed_record(betania, last_change=recent),
            helped_lately,
            referred_lately,
            consented_lately,
        ],
    }


def test_the_list_holds_closed_records_without_activity_since_the_cutoff(dpo, records):
    due = retention_due_for(dpo)

    assert set(due) == set(records["due"])
    assert all(person.last_activity_on < retention_cutoff() for person in due)


def test_the_retention_period_is_a_setting(dpo, records, settings):
    settings.RECORD_RETENTION_YEARS = 20

    assert not retention_due_for(dpo).exists()


def test_the_list_shows_codes_not_identities_and_is_audited(client_of, dpo, records):
    response = client_of(dpo).get(reverse("cases:retention"))

    content = response.content.decode()
    assert [person.code in content for person in records["due"]] == [True, True]
    assert not any(person.code in content for person in records["kept"])
    assert not any(person.alias in content for person in records["due"])
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, actor=dpo, detail="retention list, 2 records"
    ).exists()


def test_one_action_anonymises_the_whole_list(client_of, dpo, records):
    response = client_of(dpo).post(
        reverse("cases:retention"), {"expected_count": "2", "confirm": "on"}
    )

    assert response.status_code == 302
    assert all(Beneficiary.objects.get(pk=p.pk).is_erased for p in records["due"])
    assert not any(Beneficiary.objects.get(pk=p.pk).is_erased for p in records["kept"])
    erasures = AuditEvent.objects.filter(action=AuditAction.ERASE)
    assert {event.object_reference for event in erasures} == {
        *(person.code for person in records["due"]),
        "",  # the row of the whole action
    }
    assert erasures.get(object_reference="").detail.startswith("retention: anonymised 2")
    assert not retention_due_for(dpo).exists()


def test_a_list_that_changed_since_it_was_shown_is_not_anonymised(client_of, dpo, records):
    client = client_of(dpo)

    response = client.post(
        reverse("cases:retention"), {"expected_count": "1", "confirm": "on"}, follow=True
    )

    assert "The list changed since you opened it" in response.content.decode()
    assert not Beneficiary.objects.filter(erased_at__isnull=False).exists()


def test_the_action_must_be_confirmed(client_of, dpo, records):
    response = client_of(dpo).post(reverse("cases:retention"), {"expected_count": "2"})

    assert response.status_code == 400
    assert not Beneficiary.objects.filter(erased_at__isnull=False).exists()


@pytest.mark.parametrize("count", [1, 50])
def test_the_list_costs_the_same_queries_for_one_record_as_for_fifty(
    client_of, dpo, betania, django_assert_num_queries, count
):
    for _ in range(count):
        closed_record(betania)
    client = client_of(dpo)
    client.get(reverse("cases:retention"))

    # session, user; the count due and one page of them; its audit row; not the session's
    # last-activity stamp (noted once a minute, by the page before)
    with django_assert_num_queries(5):
        response = client.get(reverse("cases:retention"))

    assert len(response.context["people"]) == count


def test_a_long_list_is_shown_a_page_at_a_time_and_counted_whole(
    client_of, dpo, betania, monkeypatch
):
    monkeypatch.setattr("cases.views.data_protection.RETENTION_PER_PAGE", 2)
    for _ in range(3):
        closed_record(betania)
    client = client_of(dpo)

    first = client.get(reverse("cases:retention"))
    second = client.get(reverse("cases:retention"), {"page": 2})

    assert len(first.context["people"]) == 2 and len(second.context["people"]) == 1
    assert first.context["due_count"] == 3
    # Anonymising takes the whole list, so the form expects all of it, not the page.
    assert first.context["form"].initial["expected_count"] == 3
