"""An erased record is an anonymous stub everywhere: on the list and its page, it can no longer
be changed, referred, picked or exported; a partner that received the person by referral loses
access at once and is told in its inbox."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from cases import services
from cases.enums import ErasureGround, ReferralStatus
from cases.models import Assistance, ConsentEvent, ErasureNotice, Outcome, Referral
from tests.cases.factories import ReferralFactory
from tests.factories import BeneficiaryFactory, make_member


@pytest.fixture
def dpo(db):
    return make_member(Role.DATA_PROTECTION_OFFICER)


def erase(person, dpo):
    return services.erase_beneficiary(person, ground=ErasureGround.REQUEST, by=dpo)


@pytest.fixture
def erased(person, dpo):
    return erase(person, dpo)


# -- the owner's screens ---------------------------------------------------------------------------


def test_the_list_marks_an_erased_record_and_offers_nothing_for_it(client_of, alice, erased):
    content = client_of(alice).get(reverse("cases:beneficiary_list")).content.decode()

    row = content.split(f">{erased.code}</a>")[1].split("</tr>")[0]
    assert 'data-testid="erased"' in row
    assert "assistance/?from=list" not in row
    assert f'value="{erased.code}"' not in content  # no box to tick for a group entry


def test_the_page_of_an_erased_record_is_a_stub(client_of, alice, erased):
    response = client_of(alice).get(
        reverse("cases:beneficiary_detail", kwargs={"code": erased.code})
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "This record was erased on" in content
    for gone in ["Mirela", "Ionela Secret-Name", "Trafficker", "/edit/", "/refer/", "/consent/"]:
        assert gone not in content
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_reference=erased.code)


def forms_of_a_person(reference_data, partner):
    """Each form about one person, with input it would otherwise accept."""
    shelter, main = reference_data["shelter"].pk, reference_data["sub_project"].pk
    return {
        "cases:beneficiary_update": {"alias": "Back again", "status": "active"},
        "cases:consent_create": {"purpose": "processing", "action": "given", "on": "2023-01-01"},
        "cases:assistance_create": {
            "service_type": shelter,
            "date": "2023-01-01",
            "sub_project": main,
        },
        "cases:outcome_create": {"kind": "employed", "date": "2023-01-01"},
        "cases:referral_create": {
            "to_organisation": partner.pk,
            "services": shelter,
            "due_date": "2099-01-01",
        },
    }


@pytest.mark.parametrize(
    "url_name",
    [
        "cases:beneficiary_update",
        "cases:consent_create",
        "cases:assistance_create",
        "cases:outcome_create",
        "cases:referral_create",
    ],
)
def test_an_erased_record_can_no_longer_be_changed_or_referred(
    client_of, alice, erased, reference_data, ijm, url_name
):
    data = forms_of_a_person(reference_data, ijm)[url_name]
    url = reverse(url_name, kwargs={"code": erased.code})
    detail = reverse("cases:beneficiary_detail", kwargs={"code": erased.code})
    client = client_of(alice)
    models = (Assistance, ConsentEvent, Outcome, Referral)
    counts = [model.objects.count() for model in models]

    assert client.get(url)["Location"] == detail
    assert client.post(url, data)["Location"] == detail
    erased.refresh_from_db()
    assert erased.alias == ""
    assert [model.objects.count() for model in models] == counts


def test_the_domain_functions_refuse_an_erased_record_too(erased, alice, ijm, reference_data):
    with pytest.raises(ValidationError):
        services.record_outcome(erased, kind="employed", on=date(2023, 1, 1), by=alice)
    with pytest.raises(ValidationError):
        services.log_assistance_for_many(
            [erased],
            by=alice,
            service_type=reference_data["shelter"],
            date=date(2023, 1, 1),
            sub_project=reference_data["sub_project"],
        )
    with pytest.raises(ValidationError):
        erase(erased, make_member(Role.DATA_PROTECTION_OFFICER))


def test_only_the_data_protection_officer_erases(person, alice):
    with pytest.raises(ValidationError):
        services.erase_beneficiary(person, ground=ErasureGround.REQUEST, by=alice)
    person.refresh_from_db()
    assert not person.is_erased


def test_an_erased_record_cannot_be_picked_for_a_group_entry(
    client_of, alice, erased, reference_data
):
    response = client_of(alice).post(
        reverse("cases:assistance_bulk"),
        {
            "people": [erased.code],
            "service_type": reference_data["food"].pk,
            "date": "2023-01-01",
            "sub_project": reference_data["sub_project"].pk,
        },
    )

    assert response.status_code == 400
    assert not Assistance.objects.filter(beneficiary=erased).exists()


def test_an_erased_record_joins_no_new_activity_but_stays_in_its_own(erased, betania):
    from pillars.forms import ActivityForm
    from tests.pillars.factories import ActivityFactory, make_plan

    plan = make_plan()
    coordinator = make_member(Role.ORGANISATION_COORDINATOR, betania)
    kept = ActivityFactory(organisation=betania, pillar=plan.pillars[1], people=[erased])
    data = {
        "pillar": plan.pillars[1].pk,
        "kind": "vocational_training_course",
        "title": "Tailoring",
        "starts_on": "2022-10-04",
        "location": plan.oradea.pk,
        "sub_project": plan.main.pk,
        "participant_codes": erased.code,
    }

    new = ActivityForm(data, user=coordinator)
    edited = ActivityForm(data, instance=kept, user=coordinator)

    assert "participant_codes" in new.errors
    assert edited.is_valid(), edited.errors


# -- a partner that received her -----------------------------------------------------------------


@pytest.fixture
def accepted(referral):
    referral.status = ReferralStatus.ACCEPTED
    referral.save()
    return referral


def test_a_referred_partner_loses_access_at_once(
    client_of, ijm_caseworker, accepted, dpo, reference_data
):
    client = client_of(ijm_caseworker)
    detail = reverse("cases:referral_detail", kwargs={"public_id": accepted.public_id})
    assert 'data-testid="shared-profile"' in client.get(detail).content.decode()

    erase(accepted.beneficiary, dpo)

    content = client.get(detail).content.decode()
    assert 'data-testid="shared-profile"' not in content
    assert 'data-testid="erased"' in content
    assert "Mirela" not in content
    client.post(
        reverse("cases:referral_assistance", kwargs={"public_id": accepted.public_id}),
        {
            "service_type": reference_data["legal"].pk,
            "date": "2023-03-01",
            "sub_project": reference_data["sub_project"].pk,
        },
    )
    assert not Assistance.objects.filter(referral=accepted).exists()
    complete = reverse("cases:referral_complete", kwargs={"public_id": accepted.public_id})
    client.post(complete)
    accepted.refresh_from_db()
    assert accepted.status == ReferralStatus.ACCEPTED  # the figures count it as it was


def test_the_partner_is_told_in_its_inbox_and_notes_it(client_of, ijm_caseworker, accepted, dpo):
    open_referral = ReferralFactory(
        beneficiary=BeneficiaryFactory(), to_organisation=accepted.to_organisation
    )
    erase(accepted.beneficiary, dpo)
    erase(open_referral.beneficiary, dpo)
    client = client_of(ijm_caseworker)

    inbox = client.get(reverse("cases:referral_inbox"))

    notices = (
        inbox.content.decode().split('data-testid="erasure-notices"')[1].split("</section>")[0]
    )
    assert accepted.beneficiary.code in notices and open_referral.beneficiary.code in notices
    # An erased person's referral waits for nobody's answer any more.
    assert list(inbox.context["inbox"]) == []
    notice = ErasureNotice.objects.get(beneficiary=accepted.beneficiary)
    acknowledge = reverse(
        "cases:erasure_notice_acknowledge", kwargs={"public_id": notice.public_id}
    )
    assert client.get(acknowledge).status_code == 405
    assert client.post(acknowledge).status_code == 302
    notice.refresh_from_db()
    assert notice.acknowledged_by == ijm_caseworker
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.UPDATE, object_reference=accepted.beneficiary.code
        ).count()
        == 1
    )
    left = client.get(reverse("cases:referral_inbox")).context["erasure_notices"]
    assert [notice.beneficiary for notice in left] == [open_referral.beneficiary]
    assert client.post(acknowledge).status_code == 404  # noted once


def test_the_owner_is_not_told_about_its_own_record(erased):
    assert not ErasureNotice.objects.filter(organisation=erased.organisation).exists()
