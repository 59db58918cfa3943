"""Pages date what they record by the organisation's own day: at 22:30 UTC on 30 November it is
already 1 December in Bucharest and still 30 November in Amsterdam. Whatever the dates say, a
consent withdrawn after it was given holds, and the navigation counts a task overdue exactly
when the home page shows it overdue."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Country, Role
from cases import services
from cases.enums import ConsentAction
from cases.models import ConsentEvent
from cases.selectors import referrals_for
from tests.factories import BeneficiaryFactory, OrganisationFactory, make_member

EVENING = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)
UTC_DAY = date(2026, 11, 30)
BUCHAREST_DAY = date(2026, 12, 1)


@pytest.fixture
def at_evening():
    with time_machine.travel(EVENING, tick=False):
        yield


@pytest.fixture
def amsterdam(db):
    return OrganisationFactory(
        slug="ams-test",
        name="Amsterdam partner (test)",
        code_prefix="AMS",
        country=Country.NETHERLANDS,
        time_zone="Europe/Amsterdam",
    )


def give_sharing_consent_through_the_page(client, person, partner):
    """The consent form as the caseworker sends it: the date is the one it offers, her day."""
    url = reverse("cases:consent_create", kwargs={"code": person.code})
    offered = client.get(url).context["form"]["on"].value()
    response = client.post(
        url,
        {"purpose": "sharing", "partner": partner.pk, "action": "given", "on": offered},
    )
    assert response.status_code == 302
    return offered


def withdraw_sharing_consent(person, partner, *, by):
    """Withdrawn on 30 November: UTC's day, and Amsterdam's."""
    services.record_consent(
        person,
        purpose="sharing",
        partner=partner,
        action=ConsentAction.WITHDRAWN,
        on=UTC_DAY,
        by=by,
    )


def test_a_withdrawal_recorded_after_a_consent_holds_though_dated_a_day_earlier(
    at_evening, client_of, alice, person, ijm, amsterdam
):
    # Alice's page, in Bucharest, dates the consent 1 December.
    offered = give_sharing_consent_through_the_page(client_of(alice), person, amsterdam)
    assert str(offered) == str(BUCHAREST_DAY)
    # The withdrawal is dated by another day (Amsterdam's, or UTC's): 30 November.
    withdraw_sharing_consent(person, amsterdam, by=alice)

    assert services.current_consent(person, "sharing", amsterdam) == ConsentAction.WITHDRAWN
    page = client_of(alice).get(reverse("cases:beneficiary_detail", args=[person.code]))
    (shown,) = [c for c in page.context["consents"] if c.partner == amsterdam]
    assert (shown.action, shown.on) == (ConsentAction.WITHDRAWN, UTC_DAY)
    # Withdrawing again is refused: nothing is given any more.
    with pytest.raises(ValidationError, match="no consent given"):
        withdraw_sharing_consent(person, amsterdam, by=alice)
    assert ConsentEvent.objects.filter(beneficiary=person, partner=amsterdam).count() == 2


def test_the_partner_loses_access_when_consent_is_withdrawn_late_in_the_evening(
    at_evening, client_of, alice, person, referral, ijm, ijm_caseworker
):
    services.accept_referral(referral, by=ijm_caseworker)
    # Alice confirms the consent on her page this evening: dated 1 December.
    give_sharing_consent_through_the_page(client_of(alice), person, ijm)

    withdraw_sharing_consent(person, ijm, by=alice)

    (seen,) = referrals_for(ijm_caseworker).with_sharing_consent()
    assert seen.sharing_consent == ConsentAction.WITHDRAWN
    url = reverse("cases:referral_detail", kwargs={"public_id": referral.public_id})
    page = client_of(ijm_caseworker).get(url).content.decode()
    assert 'data-testid="no-access"' in page and "Mirela" not in page


@pytest.mark.parametrize(
    ("time_zone", "overdue"), [("Europe/Bucharest", True), ("Europe/Amsterdam", False)]
)
def test_the_navigation_counts_a_task_overdue_when_the_home_page_shows_it_overdue(
    db, at_evening, client_of, time_zone, overdue
):
    organisation = OrganisationFactory(slug="day-test", code_prefix="DAY", time_zone=time_zone)
    caseworker = make_member(Role.CASEWORKER, organisation)
    person = BeneficiaryFactory(organisation=organisation, intake_date=date(2026, 11, 2))
    services.add_task(person, by=caseworker, title="Call her", due_date=UTC_DAY)

    response = client_of(caseworker).get(reverse("cases:home"))

    (task,) = response.context["my_tasks"]
    assert task.is_overdue is overdue
    counted = '1<span class="visually-hidden"> tasks overdue</span>'
    assert (counted in response.content.decode()) is overdue


def test_a_request_leaves_the_thread_in_the_zone_it_found(at_evening, client_of, alice):
    with timezone.override("UTC"):
        client_of(alice).get(reverse("cases:home"))

        assert timezone.get_current_timezone_name() == "UTC"
        assert timezone.localdate() == UTC_DAY
