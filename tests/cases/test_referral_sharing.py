"""A referral that reaches the partner: consent recorded in the same step, what the partner
sees chosen per referral (with a safe contact), and the partner's outcomes."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from cases import services
from cases.enums import ConsentAction, ConsentPurpose, ReferralStatus
from cases.models import ConsentEvent, Outcome, Referral
from cases.sharing import default_shared_fields
from pillars.computations import compute_by_organisation
from pillars.enums import ComputationKind
from tests.cases.conftest import NOTE
from tests.cases.factories import ReferralFactory
from tests.pillars.factories import IndicatorFactory

SAFE_CONTACT = {
    "safe_phone": "+40 700 999 888",
    "meeting_point": "Pharmacy on Strada Republicii",
    "contact_person": "Sister Maria at the parish",
    "best_times": "Weekdays 10-12",
}


def referral_form(ijm, reference_data, **extra):
    return {
        "to_organisation": ijm.pk,
        "services": [reference_data["legal"].pk],
        "due_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
        "message": "Hearing on Monday",
        **extra,
    }


def consent_now():
    return {
        "consent_given": "on",
        "consent_given_by": "person",
        "consent_method": "signed_form",
        "consent_date": timezone.localdate().isoformat(),
    }


def refer_url(person):
    return reverse("cases:referral_create", kwargs={"code": person.code})


def referral_url(referral):
    return reverse("cases:referral_detail", kwargs={"public_id": referral.public_id})


# -- consent in the same step ----------------------------------------------------------------------


def test_consent_is_recorded_with_the_referral_in_one_step(
    client_of, alice, person, ijm, reference_data
):
    response = client_of(alice).post(
        refer_url(person), referral_form(ijm, reference_data, **consent_now())
    )

    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response.url == referral_url(referral)
    consent = ConsentEvent.objects.get(purpose=ConsentPurpose.SHARING)
    assert (consent.partner, consent.action, consent.given_by, consent.method, consent.date) == (
        ijm,
        ConsentAction.GIVEN,
        "person",
        "signed_form",
        timezone.localdate(),
    )
    assert consent.recorded_by == alice
    details = set(
        AuditEvent.objects.filter(object_reference=person.code).values_list("detail", flat=True)
    )
    assert "consent sharing given for ijm-test" in details
    assert "referral to ijm-test; shares minimal" in details


def test_consent_without_who_and_how_keeps_what_was_typed_and_saves_nothing(
    client_of, alice, person, ijm, reference_data
):
    response = client_of(alice).post(
        refer_url(person),
        referral_form(ijm, reference_data, consent_given="on", safe_phone="+40 700 999 888"),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Say who gave consent." in page
    assert "Say how consent was given." in page
    assert "Hearing on Monday" in page and "+40 700 999 888" in page
    assert not Referral.objects.exists()
    assert not ConsentEvent.objects.filter(purpose=ConsentPurpose.SHARING).exists()


def test_a_refused_referral_leaves_no_consent_behind(alice, person, ijm, reference_data):
    ReferralFactory(beneficiary=person, to_organisation=ijm, consent=False)  # already open

    with pytest.raises(ValidationError, match="already has an open referral"):
        services.send_referral(
            person,
            to_organisation=ijm,
            services=[reference_data["legal"]],
            due_date=timezone.localdate() + timedelta(days=3),
            consent=services.ConsentInStep("person", "orally", timezone.localdate()),
            by=alice,
        )

    assert not ConsentEvent.objects.filter(purpose=ConsentPurpose.SHARING).exists()


def test_consent_already_recorded_needs_nothing_more(client_of, alice, person, ijm, reference_data):
    services.record_consent(
        person,
        purpose=ConsentPurpose.SHARING,
        action=ConsentAction.GIVEN,
        on=timezone.localdate(),
        by=alice,
        partner=ijm,
    )

    response = client_of(alice).post(refer_url(person), referral_form(ijm, reference_data))

    assert response.status_code == 302
    assert ConsentEvent.objects.filter(purpose=ConsentPurpose.SHARING).count() == 1


def test_the_services_suggest_what_the_partner_needs(client_of, alice, person, reference_data):
    page = client_of(alice).get(refer_url(person)).content.decode()

    legal = reference_data["legal"]
    assert f'value="{legal.pk}"' in page
    assert 'data-shares="legal_name date_of_birth document_numbers' in page
    assert default_shared_fields(["shelter", "legal-assistance"])[:3] == [
        "legal_name",
        "date_of_birth",
        "document_numbers",
    ]
    assert default_shared_fields(["food"]) == []


# -- need to know ----------------------------------------------------------------------------------


@pytest.fixture
def chosen_referral(client_of, alice, person, ijm, reference_data):
    """Sent with consent in the same step, the legal name and safety reason shared, and a safe
    contact."""
    client_of(alice).post(
        refer_url(person),
        referral_form(
            ijm,
            reference_data,
            **consent_now(),
            shared_fields=["legal_name", "safety_reason"],
            **SAFE_CONTACT,
        ),
    )
    return Referral.objects.get()


def test_the_partner_sees_exactly_what_was_chosen_once_it_accepts(
    client_of, chosen_referral, person, ijm_caseworker
):
    client = client_of(ijm_caseworker)
    before = client.get(referral_url(chosen_referral)).content.decode()
    assert person.legal_name not in before
    assert SAFE_CONTACT["safe_phone"] not in before

    services.accept_referral(chosen_referral, by=ijm_caseworker)
    page = client.get(referral_url(chosen_referral)).content.decode()

    for shown in (person.code, person.alias, person.legal_name, person.safety_reason):
        assert shown in page
    for value in SAFE_CONTACT.values():
        assert value in page
    for hidden in (person.phone, NOTE):
        assert hidden not in page
    assert "Date of birth" not in page
    event = AuditEvent.objects.filter(actor=ijm_caseworker, action=AuditAction.VIEW).latest("id")
    assert event.object_reference == person.code
    assert event.detail == (
        "referral, shared profile: minimal, legal_name, safety_reason + safe contact"
    )


def test_the_sender_sees_what_the_partner_sees(client_of, alice, chosen_referral):
    page = client_of(alice).get(referral_url(chosen_referral)).content.decode()

    assert "Legal name" in page and "Safety concern, in short" in page
    assert SAFE_CONTACT["meeting_point"] in page


def test_the_safe_contact_is_encrypted_at_rest(chosen_referral):
    with connection.cursor() as cursor:
        cursor.execute(
            "select safe_phone, meeting_point from cases_referral where id = %s",
            [chosen_referral.pk],
        )
        stored = " ".join(cursor.fetchone())

    assert SAFE_CONTACT["safe_phone"] not in stored
    assert "Pharmacy" not in stored


def test_completing_erases_the_safe_contact_and_ends_access(
    client_of, chosen_referral, person, ijm_caseworker
):
    services.accept_referral(chosen_referral, by=ijm_caseworker)

    services.complete_referral(chosen_referral, by=ijm_caseworker)

    chosen_referral.refresh_from_db()
    assert [getattr(chosen_referral, name) for name in Referral.SAFE_CONTACT_FIELDS] == [""] * 4
    page = client_of(ijm_caseworker).get(referral_url(chosen_referral)).content.decode()
    assert person.legal_name not in page
    assert 'data-testid="no-access"' in page


def test_withdrawn_consent_erases_the_safe_contact_and_ends_access(
    client_of, alice, chosen_referral, person, ijm, ijm_caseworker
):
    services.accept_referral(chosen_referral, by=ijm_caseworker)

    services.record_consent(
        person,
        purpose=ConsentPurpose.SHARING,
        action=ConsentAction.WITHDRAWN,
        on=timezone.localdate(),
        by=alice,
        partner=ijm,
    )

    chosen_referral.refresh_from_db()
    assert chosen_referral.safe_phone == ""
    page = client_of(ijm_caseworker).get(referral_url(chosen_referral)).content.decode()
    assert person.legal_name not in page and SAFE_CONTACT["best_times"] not in page


def test_only_the_choosable_fields_can_be_shared(alice, person, ijm, reference_data):
    with pytest.raises(ValidationError, match="cannot be shared"):
        services.send_referral(
            person,
            to_organisation=ijm,
            services=[reference_data["legal"]],
            due_date=timezone.localdate() + timedelta(days=3),
            shared_fields=["notes"],
            consent=services.ConsentInStep("person", "orally", timezone.localdate()),
            by=alice,
        )
    assert not Referral.objects.exists()


# -- the partner's outcome -------------------------------------------------------------------------


def outcome_url(referral):
    return reverse("cases:referral_outcome", kwargs={"public_id": referral.public_id})


def test_the_partner_records_its_outcome_and_the_sender_sees_it(
    client_of, alice, referral, ijm, ijm_caseworker
):
    services.accept_referral(referral, by=ijm_caseworker)

    response = client_of(ijm_caseworker).post(
        outcome_url(referral),
        {"kind": "criminal_case_opened", "date": timezone.localdate().isoformat(), "note": ""},
    )

    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert (outcome.organisation, outcome.referral, outcome.recorded_by) == (
        ijm,
        referral,
        ijm_caseworker,
    )
    audit = AuditEvent.objects.filter(actor=ijm_caseworker, action=AuditAction.CREATE).get()
    assert audit.object_reference == referral.beneficiary.code
    page = client_of(alice).get(referral_url(referral)).content.decode()
    assert "Criminal case opened" in page


def test_an_outcome_needs_access_through_the_referral(client_of, referral, ijm_caseworker):
    client = client_of(ijm_caseworker)  # referral not accepted yet

    response = client.post(
        outcome_url(referral), {"kind": "employed", "date": timezone.localdate().isoformat()}
    )

    assert response.status_code == 302
    assert not Outcome.objects.exists()
    with pytest.raises(ValidationError):
        services.record_outcome(
            referral.beneficiary,
            kind="employed",
            on=timezone.localdate(),
            referral=referral,
            by=ijm_caseworker,
        )


def test_a_bad_outcome_keeps_the_page_and_saves_nothing(client_of, referral, ijm_caseworker):
    services.accept_referral(referral, by=ijm_caseworker)

    response = client_of(ijm_caseworker).post(
        outcome_url(referral), {"kind": "employed", "date": "2999-01-01"}
    )

    assert response.status_code == 400
    assert "This date is in the future." in response.content.decode()
    assert not Outcome.objects.exists()


def test_the_partners_outcome_counts_for_the_partner(referral, ijm, ijm_caseworker, betania):
    services.accept_referral(referral, by=ijm_caseworker)
    services.record_outcome(
        referral.beneficiary,
        kind="criminal_case_opened",
        on=timezone.localdate(),
        referral=referral,
        by=ijm_caseworker,
    )
    indicator = IndicatorFactory(
        computation=ComputationKind.PEOPLE_WITH_OUTCOME,
        parameters={"outcome_kinds": ["criminal_case_opened"]},
    )
    year = timezone.localdate().year

    breakdown = compute_by_organisation([indicator], date(year, 1, 1), date(year, 12, 31))

    assert breakdown[indicator.pk] == {ijm.pk: 1}
    assert referral.status == ReferralStatus.ACCEPTED
