"""Domain functions of casework: codes, consent, assistance, referrals and their transitions."""

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from accounts.enums import AuditAction, Country, Role
from accounts.models import AuditEvent
from cases import services
from cases.enums import ConsentAction, ConsentPurpose, ReferralStatus
from cases.models import (
    Assistance,
    Beneficiary,
    CodeSequence,
    ConsentEvent,
    Referral,
    ReferralEvent,
)
from nextsteps.scoping import organisation_scope
from tests.cases.factories import ConsentEventFactory, ReferralFactory
from tests.factories import BeneficiaryFactory, OrganisationFactory, make_member


def new_person(reference_data, intake_date=date(2023, 5, 2), **fields):
    return Beneficiary(
        alias="New",
        category="exiting_prostitution",
        location=reference_data["location"],
        intake_date=intake_date,
        intake_source="outreach",
        **fields,
    )


def refer(person, partner, by, **fields):
    return services.send_referral(
        person,
        to_organisation=partner,
        services=fields.pop("services", []),
        due_date=fields.pop("due_date", timezone.localdate() + timedelta(days=7)),
        by=by,
        **fields,
    )


# -- registering ---------------------------------------------------------------------------------


def test_codes_count_up_per_organisation_and_intake_year(alice, charlie, reference_data):
    first = services.register_beneficiary(new_person(reference_data), by=alice)
    second = services.register_beneficiary(new_person(reference_data), by=alice)
    next_year = services.register_beneficiary(
        new_person(reference_data, intake_date=date(2024, 1, 3)), by=alice
    )
    elsewhere = services.register_beneficiary(new_person(reference_data), by=charlie)

    assert [first.code, second.code, next_year.code, elsewhere.code] == [
        "BET-2023-0001",
        "BET-2023-0002",
        "BET-2024-0001",
        "OUT-2023-0001",
    ]
    assert CodeSequence.objects.get(organisation=alice.organisation, year=2023).last_number == 2


def test_a_new_sequence_continues_after_codes_already_in_use(alice, reference_data):
    BeneficiaryFactory(organisation=alice.organisation, code="BET-2023-0041")

    registered = services.register_beneficiary(new_person(reference_data), by=alice)

    assert registered.code == "BET-2023-0042"


def test_registering_records_the_processing_consent_and_one_audit_row(alice, reference_data):
    person = services.register_beneficiary(new_person(reference_data), by=alice)

    consent = ConsentEvent.objects.get(beneficiary=person)
    assert (consent.purpose, consent.action, consent.date) == (
        ConsentPurpose.PROCESSING,
        ConsentAction.GIVEN,
        person.intake_date,
    )
    assert person.organisation == alice.organisation
    assert person.created_by == alice
    event = AuditEvent.objects.get()
    assert (event.action, event.object_reference) == (AuditAction.CREATE, person.code)


# -- consent -------------------------------------------------------------------------------------


def test_withdrawing_needs_a_consent_that_is_given(person, ijm, alice):
    with pytest.raises(ValidationError, match="no consent given"):
        services.record_consent(
            person,
            purpose=ConsentPurpose.SHARING,
            partner=ijm,
            action=ConsentAction.WITHDRAWN,
            on=date(2023, 3, 1),
            by=alice,
        )
    assert not ConsentEvent.objects.exists()


def test_the_current_consent_is_the_latest_event(person, ijm, alice):
    for action in (ConsentAction.GIVEN, ConsentAction.WITHDRAWN):
        services.record_consent(
            person,
            purpose=ConsentPurpose.SHARING,
            partner=ijm,
            action=action,
            on=date(2023, 3, 1),
            by=alice,
        )

    assert services.current_consent(person, ConsentPurpose.SHARING, ijm) == ConsentAction.WITHDRAWN
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE).count() == 2


# -- referrals -----------------------------------------------------------------------------------


def test_a_referral_cannot_be_sent_without_consent_to_that_organisation(person, ijm, alice):
    ConsentEventFactory(beneficiary=person, partner=OrganisationFactory())  # another partner

    with pytest.raises(ValidationError, match="has not given consent"):
        refer(person, ijm, alice)

    assert not Referral.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_referral_cannot_be_sent_once_consent_is_withdrawn(person, ijm, alice):
    ConsentEventFactory(beneficiary=person, partner=ijm, date=date(2023, 1, 1))
    ConsentEventFactory(
        beneficiary=person, partner=ijm, date=date(2023, 2, 1), action=ConsentAction.WITHDRAWN
    )

    with pytest.raises(ValidationError, match="has not given consent"):
        refer(person, ijm, alice)
    assert not Referral.objects.exists()


@pytest.mark.parametrize(("country", "cross_border"), [(Country.ROMANIA, False), ("NL", True)])
def test_sending_records_the_transition_and_derives_cross_border(
    person, alice, reference_data, country, cross_border
):
    partner = OrganisationFactory(country=country)
    ConsentEventFactory(beneficiary=person, partner=partner)

    referral = refer(person, partner, alice, services=[reference_data["legal"]], message="Hi")

    assert referral.cross_border is cross_border
    assert referral.from_organisation == alice.organisation
    assert referral.status == ReferralStatus.SENT
    assert list(referral.services.all()) == [reference_data["legal"]]
    assert list(referral.events.values_list("status", flat=True)) == [ReferralStatus.SENT]
    assert AuditEvent.objects.get().action == AuditAction.CREATE


def test_a_partner_cannot_refer_someone_elses_person(person, ijm, ijm_caseworker):
    ConsentEventFactory(beneficiary=person, partner=OrganisationFactory())
    with pytest.raises(ValidationError, match="owns the record"):
        refer(person, OrganisationFactory(), ijm_caseworker)


def test_a_second_open_referral_to_the_same_partner_is_refused(referral, alice):
    with pytest.raises(ValidationError, match="already has an open referral"):
        refer(referral.beneficiary, referral.to_organisation, alice)


def test_the_receiver_accepts_and_one_event_and_audit_row_are_written(referral, ijm_caseworker):
    services.accept_referral(referral, by=ijm_caseworker)

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.responded_at is not None
    assert referral.events.filter(status=ReferralStatus.ACCEPTED).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.TRANSITION).count() == 1


def test_accepting_twice_with_a_stale_object_leaves_one_transition(referral, ijm, ijm_caseworker):
    colleague = make_member(Role.CASEWORKER, ijm)
    stale = Referral.objects.get(pk=referral.pk)

    services.accept_referral(referral, by=ijm_caseworker)
    with pytest.raises(ValidationError, match="now accepted"):
        services.accept_referral(stale, by=colleague)

    assert referral.events.filter(status=ReferralStatus.ACCEPTED).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.TRANSITION).count() == 1


def test_the_sender_cannot_answer_and_the_receiver_cannot_withdraw(referral, alice, ijm_caseworker):
    with pytest.raises(ValidationError, match="cannot make this change"):
        services.accept_referral(referral, by=alice)
    with pytest.raises(ValidationError, match="cannot make this change"):
        services.withdraw_referral(referral, by=ijm_caseworker)
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT


def test_declining_needs_a_reason_and_keeps_it(referral, ijm_caseworker):
    with pytest.raises(ValidationError, match="Say why"):
        services.decline_referral(referral, reason="  ", by=ijm_caseworker)

    services.decline_referral(referral, reason="No capacity this month", by=ijm_caseworker)

    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("declined", "No capacity this month")
    assert referral.closed_at is not None


def test_only_an_accepted_referral_can_be_completed(referral, ijm_caseworker, alice):
    with pytest.raises(ValidationError):
        services.complete_referral(referral, by=ijm_caseworker)
    services.accept_referral(referral, by=ijm_caseworker)
    services.complete_referral(referral, by=ijm_caseworker)
    with pytest.raises(ValidationError, match="now completed"):
        services.withdraw_referral(referral, by=alice)

    assert list(
        ReferralEvent.objects.filter(referral=referral).values_list("status", flat=True)
    ) == [ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_accepts_leave_exactly_one_transition(alice, ijm):
    """Two caseworkers press "Accept" at the same moment, each in her own connection."""
    referral = ReferralFactory(
        beneficiary=BeneficiaryFactory(organisation=alice.organisation), to_organisation=ijm
    )
    caseworkers = [make_member(Role.CASEWORKER, ijm) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def accept(user):
        try:
            # A thread starts without the test's scope; run it in IJM's, as a request would.
            with organisation_scope([ijm.pk]):
                stale = Referral.objects.get(pk=referral.pk)
                barrier.wait()
                services.accept_referral(stale, by=user)
            outcomes.append("accepted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(user,)) for user in caseworkers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["accepted", "refused"]
    assert ReferralEvent.objects.filter(referral=referral, status="accepted").count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.TRANSITION).count() == 1


# -- assistance ----------------------------------------------------------------------------------


def assistance_fields(reference_data, service="food"):
    return {
        "service_type": reference_data[service],
        "date": date(2023, 3, 3),
        "quantity": 1,
        "unit": "items",
        "sub_project": reference_data["refugee_project"],
        "note": "",
    }


def test_one_service_for_several_people_is_logged_for_all(alice, reference_data):
    people = BeneficiaryFactory.create_batch(3, organisation=alice.organisation)

    services.log_assistance_for_many(people, by=alice, **assistance_fields(reference_data))

    assert Assistance.objects.filter(organisation=alice.organisation).count() == 3
    assert AuditEvent.objects.filter(action=AuditAction.CREATE).count() == 3


def test_a_group_entry_with_someone_elses_person_saves_nothing(alice, charlie, reference_data):
    people = [*BeneficiaryFactory.create_batch(2, organisation=alice.organisation)]
    people.append(BeneficiaryFactory(organisation=charlie.organisation))

    with pytest.raises(ValidationError):
        services.log_assistance_for_many(people, by=alice, **assistance_fields(reference_data))

    assert not Assistance.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_partner_logs_against_an_accepted_referral_only_while_it_gives_access(
    referral, ijm_caseworker, reference_data
):
    fields = assistance_fields(reference_data, service="legal")
    with pytest.raises(ValidationError, match="no longer gives access"):
        services.log_assistance(
            referral.beneficiary, by=ijm_caseworker, referral=referral, **fields
        )
    with pytest.raises(ValidationError):
        services.log_assistance(referral.beneficiary, by=ijm_caseworker, **fields)

    services.accept_referral(referral, by=ijm_caseworker)
    # Help in answer to a referral is given on or after the day it was sent.
    fields["date"] = referral.sent_on
    logged = services.log_assistance(
        referral.beneficiary, by=ijm_caseworker, referral=referral, **fields
    )

    assert (logged.organisation, logged.referral) == (ijm_caseworker.organisation, referral)
    assert Assistance.objects.count() == 1
