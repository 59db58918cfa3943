"""A caseworker writing on a record (logging assistance, editing the person) while an admin of
her organisation merges it into another: the write takes the person's row lock first, as the
merge takes both rows' (cases.services.hold_person), so one waits for the other. A write that
waited finds the record merged and is refused in words, naming the record it went into; one
that went first is moved with the rest. Never a server error, never a row left pointing at the
merged record. The races run real concurrent transactions on PostgreSQL (tests/cases/
test_races.py); what a write that comes after the merge is told is checked on any database."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.enums import Role
from cases import services
from cases.merging import merge_records
from cases.models import Assistance, Beneficiary
from tests.cases.test_races import _posted, at_once, race, unscoped
from tests.factories import BeneficiaryFactory, make_member

TRIES = 8


def pair(organisation, attempt):
    """Two records of one woman: the survivor and the one merged into it."""
    return (
        BeneficiaryFactory(organisation=organisation, alias=f"Survivor {attempt}"),
        BeneficiaryFactory(organisation=organisation, alias=f"Merged {attempt}"),
    )


def logged_in(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def assistance_data(reference_data):
    return {
        "service_type": reference_data["food"].pk,
        "date": timezone.localdate().isoformat(),
        "quantity": "1",
        "sub_project": reference_data["sub_project"].pk,
    }


def rows_left_on(merged_ids):
    """Rows that still point at a merged (deleted) record, in the models a write adds to."""
    with scopes_disabled():
        return Assistance._base_manager.filter(beneficiary_id__in=merged_ids).count()


@race
def test_assistance_logged_while_the_record_is_merged_is_moved_or_refused(alice, reference_data):
    admin = make_member(Role.ORGANISATION_ADMIN, alice.organisation)
    caseworker = logged_in(alice)
    statuses, merged_ids, refused_pages = [], [], []
    for attempt in range(TRIES):
        survivor, merged = pair(alice.organisation, attempt)
        merged_ids.append(merged.pk)
        url = reverse("cases:assistance_create", kwargs={"code": merged.code})

        response, merge = at_once(
            lambda url=url: caseworker.post(url, assistance_data(reference_data)),
            unscoped(merge_records, survivor, merged, by=admin),
        )

        assert isinstance(merge, Beneficiary), merge
        statuses.append(response.status_code)
        with scopes_disabled():
            logged = Assistance.objects.filter(beneficiary=survivor).count()
        if response.status_code == 302:
            # Logged before the merge: moved to the survivor with the rest.
            assert logged == 1
        else:
            assert logged == 0
            refused_pages.append(response.content.decode())

    # 0 server errors, 0 rows left on a merged record.
    assert set(statuses) <= {302, 400}, statuses
    assert rows_left_on(merged_ids) == 0
    for page in refused_pages:
        assert "while you were saving: nothing was saved" in page


@race
def test_an_edit_saved_while_the_record_is_merged_is_refused_in_words(alice):
    admin = make_member(Role.ORGANISATION_ADMIN, alice.organisation)
    caseworker = logged_in(alice)
    statuses = []
    for attempt in range(TRIES):
        survivor, merged = pair(alice.organisation, attempt)
        url = reverse("cases:beneficiary_update", kwargs={"code": merged.code})
        # She opened the edit form before the merge.
        data = _posted(caseworker.get(url).context["form"])
        data["address"] = "Met her at the shelter"

        response, merge = at_once(
            lambda url=url, data=data: caseworker.post(url, data),
            unscoped(merge_records, survivor, merged, by=admin),
        )

        # Whichever went first, the merge goes through (the admin gave no version seen).
        assert isinstance(merge, Beneficiary), merge
        statuses.append(response.status_code)
        with scopes_disabled():
            assert not Beneficiary._base_manager.filter(pk=merged.pk).exists()
        if response.status_code == 400:
            assert "while you were saving: nothing was saved" in response.content.decode()
            assert f"Open {survivor.code} and enter it there." in response.content.decode()

    assert set(statuses) <= {302, 400}, statuses


# -- after the merge, on any database ------------------------------------------------------------


@pytest.mark.parametrize("write", ["assistance", "edit", "consent", "outcome"])
def test_a_write_on_a_record_merged_meanwhile_names_the_record_it_went_into(
    alice, reference_data, write
):
    admin = make_member(Role.ORGANISATION_ADMIN, alice.organisation)
    survivor, merged = pair(alice.organisation, 0)
    with scopes_disabled():
        # The caseworker's page read the record before the merge.
        stale = Beneficiary.objects.get(pk=merged.pk)
        merge_records(survivor, merged, by=admin)
    calls = {
        "assistance": lambda: services.log_assistance(
            stale,
            by=alice,
            service_type=reference_data["food"],
            date=timezone.localdate(),
            sub_project=reference_data["sub_project"],
        ),
        "edit": lambda: services.update_beneficiary(stale, changed_fields=["alias"], by=alice),
        "consent": lambda: services.record_consent(
            stale, purpose="processing", action="given", on=timezone.localdate(), by=alice
        ),
        "outcome": lambda: services.record_outcome(
            stale, kind="reintegrated", on=timezone.localdate(), by=alice
        ),
    }

    with pytest.raises(ValidationError) as refused, scopes_disabled():
        calls[write]()

    assert refused.value.messages == [
        f"{merged.code} was merged into {survivor.code} while you were saving: nothing was "
        f"saved. Open {survivor.code} and enter it there."
    ]
    with scopes_disabled():
        assert Assistance._base_manager.filter(beneficiary_id=merged.pk).count() == 0
