"""One person, one record: the blind index finds her when she is registered again, in the
organisation (named, with a link) and at a partner (never named), and the caseworker goes on only
with a reason, which is audited. Expected digests are computed here by hand, with hmac."""

import hashlib
import hmac
import importlib
from datetime import date

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from cases import services
from cases.enums import ErasureGround
from cases.identity_index import (
    identity_digests,
    normalised_document_numbers,
    normalised_phone,
    normalised_text,
)
from cases.models import Beneficiary, CaseNote, IdentityDigest
from tests.factories import BeneficiaryFactory, make_member

IOANA = {"legal_name": "Ioana Popescu", "date_of_birth": "1999-03-12"}
PARTNER_ALIAS = "Cireasa"
PARTNER_LEGAL_NAME = "Ioana Popescu"


def person_form(reference_data, **overrides):
    return {
        "alias": "Dana",
        "category": "exiting_prostitution",
        "sex": "female",
        "location": reference_data["location"].pk,
        "intake_date": "2023-04-05",
        "intake_source": "outreach",
        "dependants": "0",
        "processing_consent": "on",
        **overrides,
    }


def by_hand(kind: str, normalised: str, key: str) -> str:
    return hmac.new(key.encode(), f"{kind}\x1f{normalised}".encode(), hashlib.sha256).hexdigest()


def register(reference_data, user, **fields):
    """A person registered the way the form does, without a reason (no match expected)."""
    person = Beneficiary(
        **{
            key: value
            for key, value in person_form(reference_data, **fields).items()
            if key not in ("location", "processing_consent", "intake_date")
        },
        location=reference_data["location"],
        intake_date=date(2023, 4, 5),
    )
    return services.register_beneficiary(person, by=user, new_person_reason="")


# -- normalisation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["Ioana Popescu", "IOANA  POPESCU", "ioana popéscu", " Ioana-Popescu. ", "IOANA\tPOPESCU"],
)
def test_a_name_is_compared_without_case_accents_spacing_or_punctuation(typed):
    assert normalised_text(typed) == "ioana popescu"


def test_romanian_letters_lose_their_marks():
    assert normalised_text("Ștefănescu Țîrlea") == "stefanescu tirlea"


@pytest.mark.parametrize(
    "typed",
    [
        "+40 721 000 000",
        "0040721000000",
        "0040 721-000-000",
        "+40 (0)721 000 000",
        "0721 000 000",  # written the national way, in a Romanian organisation
    ],
)
def test_a_phone_number_is_its_digits_with_the_country_code(typed):
    assert normalised_phone(typed, country="RO") == "40721000000"


def test_a_dutch_national_number_gets_the_dutch_code():
    assert normalised_phone("06-1234 5678", country="NL") == "31612345678"


def test_a_few_digits_are_no_phone_number():
    assert normalised_phone("112", country="RO") == ""


def test_each_document_number_is_indexed_on_its_own():
    assert normalised_document_numbers("Passport AB 123456; ID card RX-987654, ab123456") == [
        "ab123456",
        "rx987654",
    ]


def test_a_date_of_birth_written_either_way_gives_one_digest(settings):
    settings.BLIND_INDEX_KEY = "k" * 40
    slashes = identity_digests(legal_name="IOANA  POPESCU", date_of_birth="12/03/1999")
    iso = identity_digests(legal_name="ioana popéscu", date_of_birth="1999-03-12")

    expected = by_hand("name_and_birth", "ioana popescu|1999-03-12", "k" * 40)
    assert ("name_and_birth", expected) in slashes
    assert slashes == iso


def test_the_key_comes_from_the_environment_and_changes_every_digest(settings):
    settings.BLIND_INDEX_KEY = "first key " * 4
    first = identity_digests(phone="+40 721 000 000", country="RO")
    settings.BLIND_INDEX_KEY = "second key " * 4
    second = identity_digests(phone="0040721000000", country="RO")

    assert first == {("phone", by_hand("phone", "40721000000", "first key " * 4))}
    assert second == {("phone", by_hand("phone", "40721000000", "second key " * 4))}
    assert first != second


# -- kept with the record --------------------------------------------------------------------------


def test_registration_stores_the_digests_and_erasure_removes_them(alice, reference_data, settings):
    settings.BLIND_INDEX_KEY = "k" * 40
    person = register(
        reference_data, alice, **IOANA, phone="+40 721 000 000", document_numbers="AB123456"
    )

    stored = set(IdentityDigest.objects.filter(beneficiary=person).values_list("kind", "digest"))
    assert stored == {
        ("legal_name", by_hand("legal_name", "ioana popescu", "k" * 40)),
        ("name_and_birth", by_hand("name_and_birth", "ioana popescu|1999-03-12", "k" * 40)),
        ("phone", by_hand("phone", "40721000000", "k" * 40)),
        ("document", by_hand("document", "ab123456", "k" * 40)),
    }

    dpo = make_member(Role.DATA_PROTECTION_OFFICER)
    services.erase_beneficiary(person, ground=ErasureGround.REQUEST, by=dpo)

    assert not IdentityDigest.objects.filter(beneficiary=person).exists()


def test_an_erased_person_is_no_match_any_more(alice, reference_data):
    first = register(reference_data, alice, **IOANA)
    services.erase_beneficiary(
        first, ground=ErasureGround.REQUEST, by=make_member(Role.DATA_PROTECTION_OFFICER)
    )

    second = register(reference_data, alice, **IOANA)  # no reason needed: nothing matches

    assert second.code != first.code


def test_an_edit_of_the_identity_replaces_its_digests(alice, reference_data, settings):
    settings.BLIND_INDEX_KEY = "k" * 40
    person = register(reference_data, alice, phone="+40 721 000 000")
    person.phone = "+40 722 111 222"
    services.update_beneficiary(person, changed_fields=["phone"], by=alice)

    assert list(
        IdentityDigest.objects.filter(beneficiary=person).values_list("digest", flat=True)
    ) == [by_hand("phone", "40722111222", "k" * 40)]


def test_rebuild_blind_index_uses_the_new_key(alice, reference_data, settings):
    person = register(reference_data, alice, phone="+40 721 000 000")
    settings.BLIND_INDEX_KEY = "a new key, after the old one leaked"

    call_command("rebuild_blind_index", stdout=open("/dev/null", "w"))  # noqa: SIM115

    digest = IdentityDigest.objects.get(beneficiary=person).digest
    assert digest == by_hand("phone", "40721000000", "a new key, after the old one leaked")


def test_rotating_the_encryption_keys_leaves_the_digests_as_they_are(
    alice, reference_data, settings
):
    person = register(reference_data, alice, **IOANA, phone="+40 721 000 000")
    before = set(IdentityDigest.objects.values_list("beneficiary", "kind", "digest"))
    settings.FIELD_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.FIELD_ENCRYPTION_KEYS,
    ]

    call_command("rotate_encryption_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert set(IdentityDigest.objects.values_list("beneficiary", "kind", "digest")) == before
    assert len(before) == 3
    assert Beneficiary.objects.get(pk=person.pk).legal_name == "Ioana Popescu"


def test_the_domain_function_refuses_a_likely_duplicate_without_a_reason(alice, reference_data):
    register(reference_data, alice, **IOANA)

    with pytest.raises(ValidationError):
        register(reference_data, alice, legal_name="IOANA POPESCU", date_of_birth="12/03/1999")
    assert Beneficiary.objects.count() == 1


# -- at registration, in the organisation ----------------------------------------------------------


def test_a_duplicate_in_the_organisation_is_named_with_a_link(client_of, alice, reference_data):
    first = register(reference_data, alice, **IOANA)
    client = client_of(alice)

    response = client.post(
        reverse("cases:beneficiary_create"),
        person_form(
            reference_data,
            alias="Ionela",
            legal_name="IOANA  POPESCU",
            date_of_birth="12/03/1999",
        ),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert f"This may be {first.code}" in page
    assert reverse("cases:beneficiary_detail", kwargs={"code": first.code}) in page
    # The reason to go on is asked for, and her entries are kept for the second try.
    assert '<textarea name="new_person_reason"' in page
    assert 'value="Ionela"' in page
    assert 'value="IOANA  POPESCU"' in page
    assert Beneficiary.objects.count() == 1


def test_going_on_with_a_reason_saves_and_audits_the_kind_of_match(
    client_of, alice, reference_data
):
    first = register(reference_data, alice, **IOANA, phone="+40 721 000 000")
    client = client_of(alice)

    response = client.post(
        reverse("cases:beneficiary_create"),
        person_form(
            reference_data,
            legal_name="ioana popéscu",
            date_of_birth="12/03/1999",
            phone="0040721000000",
            new_person_reason="Her namesake from the other village; we met both.",
        ),
    )

    assert response.status_code == 302
    new = Beneficiary.objects.exclude(pk=first.pk).get()
    row = AuditEvent.objects.get(
        object_reference=new.code, detail__startswith="possible duplicate kept"
    )
    assert row.action == AuditAction.UPDATE
    assert row.detail == (
        f"possible duplicate kept, reason in the notes journal: {first.code} (name_and_birth+phone)"
    )
    assert "ioana" not in row.detail.casefold()
    assert "721" not in row.detail
    note = CaseNote.objects.get(beneficiary=new)
    assert "Her namesake from the other village" in note.text


def test_a_similar_alias_with_the_same_birth_year_and_nationality_is_a_likely_match(
    client_of, alice, reference_data
):
    first = register(reference_data, alice, alias="Ioana", birth_year=1999, nationality="RO")
    register(reference_data, alice, alias="Ioana", birth_year=1999, nationality="MD")
    client = client_of(alice)

    response = client.post(
        reverse("cases:beneficiary_create"),
        person_form(reference_data, alias="IOANNA", birth_year="1999", nationality="RO"),
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert f"This may be {first.code}" in page
    assert page.count("This may be") == 1  # not the Moldovan Ioana


def test_an_unlike_alias_is_no_match(client_of, alice, reference_data):
    register(reference_data, alice, alias="Maria", birth_year=1999, nationality="RO")

    response = client_of(alice).post(
        reverse("cases:beneficiary_create"),
        person_form(reference_data, alias="Marta", birth_year="1999", nationality="RO"),
    )

    assert response.status_code == 302


def test_an_edit_giving_someone_elses_phone_is_warned(client_of, alice, reference_data):
    first = register(reference_data, alice, phone="+40 721 000 000")
    second = register(reference_data, alice, phone="+40 799 999 999")
    url = reverse("cases:beneficiary_update", kwargs={"code": second.code})
    client = client_of(alice)
    form = person_form(reference_data, version=second.version, phone="0721 000 000")
    del form["processing_consent"]

    warned = client.post(url, form)
    saved = client.post(url, {**form, "new_person_reason": "Sisters share a phone."})

    assert warned.status_code == 400
    assert f"This may be {first.code}" in warned.content.decode()
    assert AuditEvent.objects.filter(
        object_reference=second.code,
        detail=f"warned of a possible duplicate: {first.code} (phone)",
    ).exists()
    assert saved.status_code == 302
    assert AuditEvent.objects.filter(
        object_reference=second.code, detail__contains=f"{first.code} (phone)"
    ).exists()


def test_an_edit_of_other_fields_does_not_ask_again(client_of, alice, reference_data):
    register(reference_data, alice, phone="+40 721 000 000")
    kept = services.register_beneficiary(
        Beneficiary(
            alias="Dana",
            category="exiting_prostitution",
            location=reference_data["location"],
            intake_source="outreach",
            phone="+40 721 000 000",
        ),
        by=alice,
        new_person_reason="Sisters share a phone.",
    )
    form = person_form(
        reference_data,
        version=kept.version,
        phone="+40 721 000 000",
        intake_date=kept.intake_date.isoformat(),
        dependants="2",
    )
    del form["processing_consent"]

    response = client_of(alice).post(
        reverse("cases:beneficiary_update", kwargs={"code": kept.code}), form
    )

    assert response.status_code == 302


# -- across partners -------------------------------------------------------------------------------


@pytest.fixture
def partners_person(charlie, reference_data):
    """The same woman, registered first by a partner (the outsider organisation)."""
    return register(
        reference_data,
        charlie,
        alias=PARTNER_ALIAS,
        legal_name=PARTNER_LEGAL_NAME,
        date_of_birth="1999-03-12",
        phone="+40 721 000 000",
        document_numbers="Passport XY 445566",
    )


def test_a_partners_match_is_told_without_anything_that_names_her_or_the_partner(
    client_of, alice, reference_data, partners_person, outsider_organisation
):
    response = client_of(alice).post(
        reverse("cases:beneficiary_create"),
        person_form(
            reference_data,
            alias="Dana",
            legal_name="IOANA POPESCU",
            date_of_birth="12.03.1999",
            phone="0040 721 000 000",
        ),
    )

    assert response.status_code == 400
    content = response.content
    assert b"may already be known to a partner organisation" in content
    assert b"This may be" not in content
    for secret in (
        partners_person.code,
        PARTNER_ALIAS,
        partners_person.public_id.hex,
        str(partners_person.public_id),
        outsider_organisation.name,
        outsider_organisation.slug,
        outsider_organisation.code_prefix + "-",
        "XY 445566",
    ):
        assert secret.encode() not in content, secret
    assert Beneficiary.objects.filter(organisation=alice.organisation).count() == 0
    # Asking is audited: whoever checks identities against the partnership leaves a trace.
    row = AuditEvent.objects.get(detail__startswith="warned of a possible duplicate")
    assert (row.actor, row.organisation, row.object_reference) == (alice, alice.organisation, "")
    assert row.detail == (
        "warned of a possible duplicate: a partner organisation (name_and_birth+phone)"
    )


def test_going_on_past_a_partners_match_audits_it_without_the_partner(
    client_of, alice, reference_data, partners_person
):
    response = client_of(alice).post(
        reverse("cases:beneficiary_create"),
        person_form(
            reference_data,
            document_numbers="passport xy-445566",
            new_person_reason="The partner closed her case years ago; she asked us directly.",
        ),
    )

    assert response.status_code == 302
    new = Beneficiary.objects.get(organisation=alice.organisation)
    row = AuditEvent.objects.get(object_reference=new.code, detail__contains="possible duplicate")
    assert row.detail == (
        "possible duplicate kept, reason in the notes journal: a partner organisation (document)"
    )
    assert row.organisation == alice.organisation
    assert partners_person.code not in row.detail


def test_the_partners_own_people_are_not_matched_by_alias(
    client_of, alice, charlie, reference_data
):
    register(reference_data, charlie, alias="Ioana", birth_year=1999, nationality="RO")

    response = client_of(alice).post(
        reverse("cases:beneficiary_create"),
        person_form(reference_data, alias="Ioana", birth_year="1999", nationality="RO"),
    )

    assert response.status_code == 302


# -- records made before the index -----------------------------------------------------------------


def test_the_migration_indexes_the_records_made_before_the_index(betania, settings):
    from django.apps import apps

    migration = importlib.import_module("cases.migrations.0021_identity_digests")
    settings.BLIND_INDEX_KEY = "k" * 40
    person = BeneficiaryFactory(organisation=betania, legal_name="", phone="0721 000 000")
    erased = BeneficiaryFactory(organisation=betania, phone="0721 000 000")
    services.erase_beneficiary(
        erased, ground=ErasureGround.REQUEST, by=make_member(Role.DATA_PROTECTION_OFFICER)
    )

    migration.index_existing_people(apps, None)

    assert list(IdentityDigest.objects.values_list("beneficiary", "kind", "digest")) == [
        (person.pk, "phone", by_hand("phone", "40721000000", "k" * 40))
    ]


def test_the_demo_people_are_indexed(demo_data, db):
    named = {
        person.pk
        for person in Beneficiary.objects.filter(erased_at__isnull=True)
        if person.legal_name
    }
    indexed = set(
        IdentityDigest.objects.filter(kind="legal_name").values_list("beneficiary", flat=True)
    )

    assert len(named) > 100
    assert indexed == named
