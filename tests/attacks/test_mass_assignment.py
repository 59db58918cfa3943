"""Mass assignment: posting fields a form does not have (the organisation, superuser and staff
flags, a role, a record's code, who created it, its erasure, a status, consent) to every view
that takes input changes nothing. Each view gets its honest input once, and once more with the
extra fields: what both leave in the database must be the same.

The views are those of tests/attacks/form_views.py, which every URL pattern must be sorted into.
"""

import uuid
from datetime import datetime

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.enums import Role
from tests.attacks.form_views import FORM_VIEWS, PAGES_WITHOUT_INPUT
from tests.attacks.input import prepare
from tests.factories import make_member
from tests.test_tenancy import project_url_names

PROJECT_APPS = {"accounts", "cases", "pillars"}
# Fields no form may set from a request: who owns a record, who made it, its code, its state,
# its erasure, a user's powers, consent. A form that has one of them as its own field (a
# person's status on her edit form, the consent form's purpose) is the legitimate way to set it.
PROTECTED = {
    "organisation",
    "from_organisation",
    "to_organisation",
    "code",
    "created_by",
    "recorded_by",
    "sent_by",
    "entered_by",
    "updated_by",
    "locked_by",
    "acknowledged_by",
    "actor",
    "user",
    "erased_at",
    "status",
    "is_superuser",
    "is_staff",
    "is_active",
    "role",
    "purpose",
    "partner",
    "action",
}
POST_VIEWS = sorted(name for name, view in FORM_VIEWS.items() if view.method == "post")


def test_every_url_pattern_is_sorted():
    sorted_names = set(FORM_VIEWS) | set(PAGES_WITHOUT_INPUT)
    assert set(FORM_VIEWS) & set(PAGES_WITHOUT_INPUT) == set()
    assert sorted(set(project_url_names()) - sorted_names) == [], (
        "add these views to tests/attacks/form_views.py"
    )
    assert sorted_names - set(project_url_names()) == set()


def extra_fields(world):
    """Values an attacker would like to set: another organisation, another user, powers."""
    intruder = make_member(Role.CASEWORKER, world.ours)
    someone = str(intruder.pk)
    return {
        "organisation": str(world.ours.pk),
        "organisation_id": str(world.ours.pk),
        "from_organisation": str(world.ours.pk),
        "to_organisation": str(world.ours.pk),
        "is_superuser": "on",
        "is_staff": "on",
        "is_active": "",
        "role": Role.SITE_ADMIN.value,
        "code": "ATTACK-2020-0001",
        "created_by": someone,
        "recorded_by": someone,
        "sent_by": someone,
        "entered_by": someone,
        "locked_by": someone,
        "user": someone,
        "erased_at": "2020-01-01 00:00",
        "status": "closed",
        "locked": "on",
        "public_id": str(uuid.uuid4()),
        "beneficiary": str(world.beneficiary.pk),
        "processing_consent": "on",
        "consent": "given",
        "sharing_consent": "given",
        "purpose": "sharing",
        "partner": str(world.ours.pk),
        "action": "withdrawn",
    }


def protected_state():
    """Every protected value of every row of the project's tables (when, not the moment, for
    times: two runs a second apart must compare equal)."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        names = [
            _stable_name(field) for field in model._meta.concrete_fields if field.name in PROTECTED
        ]
        if names:
            rows = model.objects.values_list(*names)
            state[model._meta.label] = sorted(
                (tuple(map(_comparable, row)) for row in rows), key=repr
            )
    return state


def _stable_name(field):
    # A user by address, not id: a user a form creates (a new member) takes the next value of a
    # sequence, which PostgreSQL does not roll back, so the honest and the attacked run differ.
    if field.is_relation and field.related_model is get_user_model():
        return f"{field.name}__email"
    return field.attname


def _comparable(value):
    return "set" if isinstance(value, datetime) else value


def outcome(client, prepared, data):
    """The status and the protected state after sending ``data``, then undone."""
    with transaction.atomic():
        response = prepared.send(client, data)
        state = protected_state()
        transaction.set_rollback(True)
    return response.status_code, state


@pytest.mark.parametrize("url_name", POST_VIEWS)
def test_fields_a_form_does_not_have_change_nothing(client, world, url_name):
    prepared = prepare(client, world, url_name)
    attack = {
        name: value
        for name, value in extra_fields(world).items()
        if name not in prepared.field_names
    }
    assert attack, "nothing left to try"

    honest_status, honest = outcome(client, prepared, prepared.data)
    attacked_status, attacked = outcome(client, prepared, {**prepared.data, **attack})

    assert honest_status == prepared.expected_status, "the honest input must be accepted"
    assert attacked_status == honest_status
    assert attacked == honest


# The protected fields a form legitimately has: the state its user decides.
OFFERED_ON_PURPOSE = {
    # "code" there is the one the authenticator app shows, not a record's.
    "accounts:two_factor_verify": {"code"},
    "accounts:two_factor_setup": {"code"},
    "accounts:member_add": {"role"},  # the role the admin gives the new member
    "cases:consent_create": {"purpose", "partner", "action"},  # what consent is recorded
    "cases:goal_status": {"status"},  # where the goal of her plan stands
    "cases:referral_create": {"to_organisation"},  # whom the person is referred to
    "cases:transfer_create": {"to_organisation"},  # which partner is asked to take her case
    # The plan's own codes (an indicator's, a location's ...), which the plan file uses too, are
    # typed by the programme coordinator; "in use" takes a service type off the menus.
    **{
        f"pillars:plan_{kind}{page}": {"code"}
        for kind in ("indicators", "locations", "sub_projects")
        for page in ("_new", "_edit")
    },
    "pillars:plan_service_types_new": {"code", "is_active"},
    "pillars:plan_service_types_edit": {"code", "is_active"},
}


@pytest.mark.parametrize("url_name", POST_VIEWS)
def test_no_form_offers_a_field_it_must_not(client, world, url_name):
    prepared = prepare(client, world, url_name)

    offered = {name.split("-")[-1] for name in prepared.field_names} & PROTECTED
    assert offered == OFFERED_ON_PURPOSE.get(url_name, set())
