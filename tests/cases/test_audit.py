"""Every look at a person's file or a referred profile, every change and every referral
transition writes exactly one audit row, naming the record by its code."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from tests.cases.factories import ConsentEventFactory


def casework_rows():
    # Logging in writes its own row (accounts); these tests count what casework writes.
    return AuditEvent.objects.exclude(action=AuditAction.LOGIN)


def only_audit_row():
    (event,) = casework_rows()
    return event


def test_viewing_a_persons_file(client_of, alice, person):
    client_of(alice).get(reverse("cases:beneficiary_detail", kwargs={"code": person.code}))

    event = only_audit_row()
    assert (event.action, event.object_reference, event.actor, event.organisation) == (
        AuditAction.VIEW,
        person.code,
        alice,
        person.organisation,
    )


def test_viewing_a_referred_profile(client_of, referral, ijm_caseworker):
    referral.status = "accepted"
    referral.save()

    client_of(ijm_caseworker).get(
        reverse("cases:referral_detail", kwargs={"public_id": referral.public_id})
    )

    event = only_audit_row()
    assert (event.action, event.object_reference, event.detail) == (
        AuditAction.VIEW,
        referral.beneficiary.code,
        "referral, shared profile: minimal",
    )
    # The person's organisation sees in its log who looked at her profile.
    assert event.organisation == referral.from_organisation


def test_a_page_that_shows_no_person_writes_nothing(client_of, alice, person):
    # The edit form shows her identity: it is audited (test_every_person_page_is_audited.py).
    client_of(alice).get(reverse("cases:beneficiary_list"))

    assert not casework_rows().exists()


def form_posts(person, ijm, reference_data):
    today = timezone.localdate().isoformat()
    return {
        "edit": (
            "cases:beneficiary_update",
            {
                "alias": "Renamed",
                "category": "refugee",
                "sex": "female",
                "location": reference_data["location"].pk,
                "intake_date": "2022-03-01",
                "intake_source": "outreach",
                "dependants": "0",
                "status": "active",
                "safety_flag": "on",
                "safety_reason": "danger",
            },
            AuditAction.UPDATE,
        ),
        "consent": (
            "cases:consent_create",
            {"purpose": "publication", "action": "given", "on": today},
            AuditAction.UPDATE,
        ),
        "assistance": (
            "cases:assistance_create",
            {
                "service_type": reference_data["shelter"].pk,
                "date": today,
                "sub_project": reference_data["sub_project"].pk,
            },
            AuditAction.CREATE,
        ),
        "outcome": (
            "cases:outcome_create",
            {"kind": "employed", "date": today},
            AuditAction.CREATE,
        ),
        "referral": (
            "cases:referral_create",
            {
                "to_organisation": ijm.pk,
                "services": [reference_data["legal"].pk],
                "due_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
            },
            AuditAction.CREATE,
        ),
    }


@pytest.mark.parametrize("form", ["edit", "consent", "assistance", "outcome", "referral"])
def test_each_change_writes_one_row(client_of, alice, person, ijm, reference_data, form):
    ConsentEventFactory(beneficiary=person, partner=ijm)
    url_name, data, action = form_posts(person, ijm, reference_data)[form]

    response = client_of(alice).post(reverse(url_name, kwargs={"code": person.code}), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    event = only_audit_row()
    assert (event.action, event.object_reference, event.actor) == (action, person.code, alice)


def test_the_audit_row_of_an_edit_names_fields_never_values(
    client_of, alice, person, ijm, reference_data
):
    url_name, data, _action = form_posts(person, ijm, reference_data)["edit"]

    client_of(alice).post(reverse(url_name, kwargs={"code": person.code}), data)

    detail = only_audit_row().detail
    assert "alias" in detail
    assert "Renamed" not in detail


def test_registering_writes_one_row(client_of, alice, reference_data):
    client_of(alice).post(
        reverse("cases:beneficiary_create"),
        {
            "alias": "New",
            "category": "refugee",
            "sex": "female",
            "location": reference_data["location"].pk,
            "intake_date": "2023-01-01",
            "intake_source": "self",
            "dependants": "0",
            "processing_consent": "on",
        },
    )

    assert only_audit_row().action == AuditAction.CREATE


@pytest.mark.parametrize(
    ("steps", "by"),
    [
        (["accept"], "receiver"),
        (["decline"], "receiver"),
        (["accept", "complete"], "receiver"),
        (["withdraw"], "sender"),
    ],
)
def test_each_referral_transition_writes_one_row(
    client_of, referral, alice, ijm_caseworker, steps, by
):
    client = client_of(ijm_caseworker if by == "receiver" else alice)
    for step in steps:
        client.post(
            reverse(f"cases:referral_{step}", kwargs={"public_id": referral.public_id}),
            {"reason": "No capacity"},
        )

    events = AuditEvent.objects.filter(action=AuditAction.TRANSITION)
    assert events.count() == len(steps)
    assert casework_rows().count() == len(steps)
    assert set(events.values_list("object_reference", flat=True)) == {referral.beneficiary.code}
