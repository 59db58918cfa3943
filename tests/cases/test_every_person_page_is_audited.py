"""Issue 13 point 2: every page that shows a person writes one audit row naming her code, the
forms included (the edit form shows her legal name, birth date, phone and safety concern), and
an export names every person in it, so that her access report says her identity left in a
file."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from tests.factories import make_member

PASSWORD = "four words make a key"


def urls_naming_a_person(resolver=None, namespace=""):
    """Every URL pattern of the project that takes a person's code."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from urls_naming_a_person(entry, inner)
        elif isinstance(entry, URLPattern) and "code" in entry.pattern.converters:
            yield f"{namespace}{entry.name}"


PERSON_URLS = sorted(set(urls_naming_a_person()))
# The roles that open a person's pages: her organisation's staff, and the data protection
# officer for data requests.
ROLES = [Role.CASEWORKER, Role.ORGANISATION_ADMIN, Role.DATA_PROTECTION_OFFICER]


def _other_record(organisation):
    from tests.factories import BeneficiaryFactory

    return {"other": BeneficiaryFactory(organisation=organisation).code}


# The pages that name a second record beside hers: (organisation) -> its keyword arguments.
SECOND_RECORD = {"cases:merge_confirm": _other_record}


def test_the_walk_finds_the_person_pages():
    assert {"cases:beneficiary_detail", "cases:beneficiary_update", "cases:erasure"} <= set(
        PERSON_URLS
    )


@pytest.mark.parametrize("url_name", PERSON_URLS)
def test_every_page_showing_a_person_writes_one_audit_row_naming_her(
    client, person, betania, url_name
):
    second = SECOND_RECORD.get(url_name, lambda organisation: {})(betania)
    url = reverse(url_name, kwargs={"code": person.code, **second})
    shown_to = None
    for role in ROLES:
        client.force_login(make_member(role, betania))
        before = set(AuditEvent.objects.values_list("pk", flat=True))
        response = client.get(url)
        if response.status_code == 200:
            shown_to = role
            break

    assert shown_to is not None, f"no role sees {url_name}"
    naming_her = AuditEvent.objects.exclude(pk__in=before).filter(object_reference=person.code)
    assert naming_her.count() == 1


def test_the_edit_form_is_audited_when_opened(client_of, alice, person):
    client_of(alice).get(reverse("cases:beneficiary_update", kwargs={"code": person.code}))

    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, actor=alice, object_reference=person.code
    ).exists()


def test_an_export_names_every_person_in_it_and_her_access_report_shows_it(
    client_of, alice, person, betania
):
    from tests.factories import BeneficiaryFactory

    other = BeneficiaryFactory(organisation=betania)
    client_of(alice).post(
        reverse("cases:beneficiary_export"),
        {"password": PASSWORD, "password_again": PASSWORD, "include_identity": "on"},
    )

    for someone in (person, other):
        rows = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_reference=someone.code)
        assert rows.count() == 1
        assert "identity included" in rows.get().detail
    officer = make_member(Role.DATA_PROTECTION_OFFICER, None)
    report = client_of(officer).get(reverse("cases:access_report", kwargs={"code": person.code}))
    assert "in an export of the people list, with the identity" in report.content.decode()
