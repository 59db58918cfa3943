"""What a receiving organisation sees of a referred person: her non-identifying fields and the
services asked for, only while the referral is accepted and her latest consent to share with
that organisation is "given"; nothing of her after completion, withdrawal or withdrawn consent."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.enums import Role
from cases import services
from cases.enums import ConsentAction, ReferralStatus
from cases.models import Assistance
from cases.selectors import beneficiaries_for, referrals_for, shared_profile_for
from tests.cases.factories import ConsentEventFactory
from tests.factories import make_member

IDENTITY_AND_NOTES = ["Ionela Secret-Name", "+40 711 222 333", "Notes only Betania reads"]
SAFETY_REASON = "Trafficker looking for her"


def referral_page(client_of, user, referral):
    url = reverse("cases:referral_detail", kwargs={"public_id": referral.public_id})
    return client_of(user).get(url).content.decode()


@pytest.fixture
def accepted(referral, ijm_caseworker):
    return services.accept_referral(referral, by=ijm_caseworker)


def test_while_accepted_the_receiver_sees_only_the_shared_fields(
    client_of, accepted, ijm_caseworker
):
    page = referral_page(client_of, ijm_caseworker, accepted)

    assert 'data-testid="shared-profile"' in page
    assert "Mirela" in page  # alias
    assert "Exiting prostitution" in page  # category
    for secret in [*IDENTITY_AND_NOTES, SAFETY_REASON]:
        assert secret not in page


def test_before_accepting_the_receiver_sees_the_request_but_not_the_person(
    client_of, referral, ijm_caseworker, reference_data
):
    referral.services.set([reference_data["legal"]])

    page = referral_page(client_of, ijm_caseworker, referral)

    assert "Legal assistance" in page
    assert 'data-testid="shared-profile"' not in page
    assert "Mirela" not in page


def end_by_completion(referral, ijm_caseworker, alice):
    services.complete_referral(referral, by=ijm_caseworker)


def end_by_withdrawal(referral, ijm_caseworker, alice):
    services.withdraw_referral(referral, by=alice)


def end_by_withdrawn_consent(referral, ijm_caseworker, alice):
    services.record_consent(
        referral.beneficiary,
        purpose="sharing",
        partner=referral.to_organisation,
        action=ConsentAction.WITHDRAWN,
        on=date.today(),
        by=alice,
    )


@pytest.mark.parametrize(
    "end_access", [end_by_completion, end_by_withdrawal, end_by_withdrawn_consent]
)
def test_the_receiver_sees_nothing_of_her_on_the_next_request(
    client_of, accepted, ijm_caseworker, alice, end_access
):
    assert "Mirela" in referral_page(client_of, ijm_caseworker, accepted)

    end_access(accepted, ijm_caseworker, alice)
    page = referral_page(client_of, ijm_caseworker, accepted)

    assert 'data-testid="no-access"' in page
    for shown_before in ["Mirela", "Exiting prostitution", *IDENTITY_AND_NOTES]:
        assert shown_before not in page
    assert shared_profile_for(ijm_caseworker, referrals_for(ijm_caseworker).get()) is None


@pytest.mark.parametrize(
    "end_access", [end_by_completion, end_by_withdrawal, end_by_withdrawn_consent]
)
def test_the_receiver_cannot_log_help_once_access_ends(
    client_of, accepted, ijm_caseworker, alice, reference_data, end_access
):
    end_access(accepted, ijm_caseworker, alice)

    response = client_of(ijm_caseworker).post(
        reverse("cases:referral_assistance", kwargs={"public_id": accepted.public_id}),
        {"service_type": reference_data["legal"].pk, "date": "2023-03-01", "sub_project": 1},
    )

    assert response.status_code == 302
    assert not Assistance.objects.exists()


def test_consent_given_again_restores_access(client_of, accepted, ijm_caseworker, alice):
    end_by_withdrawn_consent(accepted, ijm_caseworker, alice)
    ConsentEventFactory(
        beneficiary=accepted.beneficiary, partner=accepted.to_organisation, date=date.today()
    )

    assert "Mirela" in referral_page(client_of, ijm_caseworker, accepted)


def test_the_receiver_logs_its_own_help_against_the_referral(
    client_of, accepted, ijm_caseworker, reference_data
):
    response = client_of(ijm_caseworker).post(
        reverse("cases:referral_assistance", kwargs={"public_id": accepted.public_id}),
        {
            "service_type": reference_data["legal"].pk,
            "date": accepted.sent_on.isoformat(),
            "quantity": "2",
            "sub_project": reference_data["sub_project"].pk,
        },
    )

    assert response.status_code == 302
    logged = Assistance.objects.get()
    assert (logged.organisation, logged.referral, logged.unit) == (
        ijm_caseworker.organisation,
        accepted,
        "hours",
    )


def test_the_receiver_never_opens_the_persons_file(client_of, accepted, ijm_caseworker):
    url = reverse("cases:beneficiary_detail", kwargs={"code": accepted.beneficiary.code})

    assert client_of(ijm_caseworker).get(url).status_code == 404
    assert not beneficiaries_for(ijm_caseworker).exists()


def test_the_receivers_other_roles_see_no_referral(accepted, ijm):
    for role in (Role.ORGANISATION_COORDINATOR, Role.PROGRAMME_COORDINATOR, Role.SITE_ADMIN):
        user = make_member(role, ijm)
        assert not referrals_for(user).exists()
        assert not beneficiaries_for(user).exists()


def test_the_sender_sees_that_the_partner_lost_access(client_of, accepted, alice, ijm_caseworker):
    end_by_withdrawn_consent(accepted, ijm_caseworker, alice)

    page = referral_page(client_of, alice, accepted)

    assert accepted.status == ReferralStatus.ACCEPTED
    assert "no longer see the profile" in page


@pytest.mark.parametrize(
    "url_name", ["cases:home", "cases:beneficiary_list", "cases:referral_inbox"]
)
def test_the_receivers_lists_never_show_the_referred_person(
    client_of, accepted, ijm_caseworker, reference_data, url_name
):
    services.log_assistance(
        accepted.beneficiary,
        by=ijm_caseworker,
        referral=accepted,
        service_type=reference_data["legal"],
        date=accepted.sent_on,
        sub_project=reference_data["sub_project"],
    )

    page = client_of(ijm_caseworker).get(reverse(url_name)).content.decode()

    for secret in ["Mirela", SAFETY_REASON, *IDENTITY_AND_NOTES]:
        assert secret not in page
