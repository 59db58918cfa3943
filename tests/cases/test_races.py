"""No race loses or doubles a record: real concurrent transactions on PostgreSQL, each thread in
its own connection, released together by a barrier. (SQLite serialises every write, so these
races cannot happen there; the tests skip it, never PostgreSQL.)"""

import threading
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.enums import Role
from cases import services
from cases.enums import ErasureGround, ReferralStatus
from cases.models import Assistance, Beneficiary, Referral
from nextsteps.versioning import StaleRecord
from tests.cases.factories import ConsentEventFactory, ReferralFactory
from tests.factories import BeneficiaryFactory, LocationFactory, make_member


def race(test):
    """A race between real transactions: PostgreSQL only (SQLite serialises every write)."""
    test = pytest.mark.django_db(transaction=True)(test)
    return pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL")(
        test
    )


def at_once(*calls):
    """Run each call in its own thread (so its own database connection), all released at the
    same moment. Returns what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # the test looks at what each call raised
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def unscoped(function, *args, **kwargs):
    """A domain function called as a test would, outside a request's organisation scope."""

    def call():
        with scopes_disabled():
            return function(*args, **kwargs)

    return call


def test_the_database_refuses_a_second_open_referral_to_the_same_partner(alice, ijm):
    person = BeneficiaryFactory(organisation=alice.organisation)
    ReferralFactory(beneficiary=person, to_organisation=ijm)
    ReferralFactory(beneficiary=person, to_organisation=ijm, status=ReferralStatus.DECLINED)

    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralFactory(beneficiary=person, to_organisation=ijm, status=ReferralStatus.ACCEPTED)


@race
def test_two_caseworkers_sending_the_same_referral_make_one(alice, ijm, reference_data):
    colleague = make_member(Role.CASEWORKER, alice.organisation)
    people = [BeneficiaryFactory(organisation=alice.organisation) for _ in range(6)]

    for person in people:
        ConsentEventFactory(beneficiary=person, partner=ijm, date=timezone.localdate())
        send = {
            "to_organisation": ijm,
            "services": [reference_data["legal"]],
            "due_date": timezone.localdate() + timedelta(days=7),
        }
        results = at_once(
            unscoped(services.send_referral, person, by=alice, **send),
            unscoped(services.send_referral, person, by=colleague, **send),
        )

        refused = [result for result in results if isinstance(result, ValidationError)]
        assert len(refused) == 1, results
        assert "already has an open referral" in refused[0].messages[0]
    # 6 tries, 6 referrals: 0 duplicates.
    assert Referral.objects.filter(to_organisation=ijm).count() == 6


@race
def test_a_double_click_on_log_assistance_logs_it_once(alice, person, reference_data):
    token = str(uuid.uuid4())
    url = reverse("cases:assistance_create", kwargs={"code": person.code})
    data = {
        "service_type": reference_data["food"].pk,
        "date": timezone.localdate().isoformat(),
        "quantity": "1",
        "sub_project": reference_data["sub_project"].pk,
        "submission_id": token,
    }

    def click():
        client = Client()
        client.force_login(alice)
        return client.post(url, data)

    responses = at_once(click, click)

    assert [response.status_code for response in responses] == [302, 302]
    assert Assistance.objects.filter(beneficiary=person).count() == 1
    # Both clicks land on the same page: the person's file.
    assert {response.url for response in responses} == {
        reverse("cases:beneficiary_detail", kwargs={"code": person.code})
    }


def test_a_resubmitted_registration_registers_one_person(client_of, alice, reference_data):
    data = {
        "alias": "Dora",
        "category": "exiting_prostitution",
        "sex": "female",
        "location": reference_data["location"].pk,
        "intake_date": timezone.localdate().isoformat(),
        "intake_source": "outreach",
        "dependants": "0",
        "processing_consent": "on",
        "submission_id": str(uuid.uuid4()),
    }
    client = client_of(alice)

    first = client.post(reverse("cases:beneficiary_create"), data)
    again = client.post(reverse("cases:beneficiary_create"), data, follow=True)

    assert first.status_code == 302
    assert Beneficiary.objects.filter(alias="Dora").count() == 1
    assert again.redirect_chain[-1][0] == first.url
    assert "already sent and saved once" in again.content.decode()


@race
def test_two_people_editing_one_record_lose_nothing(alice, person):
    colleague = make_member(Role.CASEWORKER, alice.organisation)
    with scopes_disabled():
        first, second = (Beneficiary.objects.get(pk=person.pk) for _ in range(2))
    first.alias = "Mira"
    second.phone = "+40 799 000 000"

    results = at_once(
        unscoped(services.update_beneficiary, first, changed_fields=["alias"], by=alice),
        unscoped(services.update_beneficiary, second, changed_fields=["phone"], by=colleague),
    )

    stale = [result for result in results if isinstance(result, StaleRecord)]
    assert len(stale) == 1, results
    person.refresh_from_db()
    assert person.version == 2
    # Whichever save went through is kept whole; the other was refused, not merged silently:
    # 0 lost updates.
    if isinstance(results[0], StaleRecord):
        assert (person.alias, person.phone) == ("Mirela", "+40 799 000 000")
        assert "Alias" in stale[0].messages[0]
    else:
        assert (person.alias, person.phone) == ("Mira", "+40 711 222 333")
        assert "Phone" in stale[0].messages[0]


@race
def test_an_edit_saved_during_an_erasure_never_brings_the_identity_back(alice, betania):
    officer = make_member(Role.DATA_PROTECTION_OFFICER)
    undone = 0
    for attempt in range(12):
        person = BeneficiaryFactory(
            organisation=betania, alias=f"Alias {attempt}", phone="+40 700 000 001"
        )
        with scopes_disabled():
            # The caseworker opened the edit form before the erasure.
            edited = Beneficiary.objects.get(pk=person.pk)
        edited.address = "Met her at the shelter"

        at_once(
            unscoped(services.update_beneficiary, edited, changed_fields=["address"], by=alice),
            unscoped(services.erase_beneficiary, person, ground=ErasureGround.REQUEST, by=officer),
        )

        person.refresh_from_db()
        assert person.is_erased
        if person.alias or person.phone or person.legal_name or person.address:
            undone += 1
    assert undone == 0


def test_a_stale_edit_form_is_refused_with_what_changed_and_keeps_the_entries(
    client_of, alice, person
):
    url = reverse("cases:beneficiary_update", kwargs={"code": person.code})
    form = client_of(alice).get(url).context["form"]
    data = _posted(form)
    # A colleague saves the record in the meantime.
    person.alias = "Mira"
    services.update_beneficiary(person, changed_fields=["alias"], by=alice)

    data["phone"] = "+40 722 000 000"
    response = client_of(alice).post(url, data)

    assert response.status_code == 400
    page = response.content.decode()
    assert "Someone else saved this record while you were editing it" in page
    assert "Alias" in page.split("Where they differ")[1].split("Check these")[0]
    assert "+40 722 000 000" in page  # her entry is still in the form
    person.refresh_from_db()
    assert (person.alias, person.phone) == ("Mira", "+40 711 222 333")
    # Saving again, knowingly, goes through: the form now carries the saved version.
    again = dict(data, version=str(response.context["form"]["version"].value()))
    assert client_of(alice).post(url, again).status_code == 302
    person.refresh_from_db()
    assert (person.alias, person.phone, person.version) == ("Mirela", "+40 722 000 000", 3)


def _posted(form):
    """What the browser would post for ``form`` as rendered."""
    posted = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list | tuple):
            posted[name] = [str(item) for item in value]
        elif value is True:
            posted[name] = "on"
        elif value is None or value is False:
            continue
        else:
            posted[name] = str(value)
    return posted


def test_a_stale_save_of_a_plan_record_is_refused(betania):
    from pillars.models import Volunteer
    from pillars.services import save_volunteer
    from tests.pillars.factories import VolunteerFactory

    coordinator = make_member(Role.ORGANISATION_COORDINATOR, betania)
    volunteer = VolunteerFactory(organisation=betania, name="Ioana")
    first, second = Volunteer.objects.get(pk=volunteer.pk), Volunteer.objects.get(pk=volunteer.pk)
    first.name = "Ioana M."
    save_volunteer(first, by=coordinator)
    second.active_until = second.active_from + timedelta(days=30)

    with pytest.raises(StaleRecord, match="Name"):
        save_volunteer(second, by=coordinator)

    volunteer.refresh_from_db()
    assert (volunteer.name, volunteer.active_until, volunteer.version) == ("Ioana M.", None, 2)


@race
def test_two_organisations_registering_the_same_woman_at_once_are_warned(alice, charlie):
    """Each registration checks the partnership's digests; at the same moment, neither would see
    the other's yet. The second waits for the first and is refused without a reason."""
    location = LocationFactory(code="oradea")

    def register(user):
        person = Beneficiary(
            alias="Dana",
            category="exiting_prostitution",
            location=location,
            intake_source="outreach",
            legal_name="Ioana Popescu",
            date_of_birth="1999-03-12",
        )
        return unscoped(services.register_beneficiary, person, by=user, new_person_reason="")

    results = at_once(register(alice), register(charlie))

    with scopes_disabled():
        assert Beneficiary.objects.count() == 1
    assert sorted(type(result).__name__ for result in results) == ["Beneficiary", "ValidationError"]
