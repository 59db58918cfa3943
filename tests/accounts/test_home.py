import pytest
from django.urls import reverse

from accounts.enums import Role
from accounts.views import ROLE_HOME
from tests.factories import UserFactory, make_member


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_its_home_page(client_of, betania, role):
    client = client_of(make_member(role, betania))

    response = client.get(reverse("home"), follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse(ROLE_HOME[role])


def test_a_user_without_a_role_is_told_so(client_of, db):
    response = client_of(UserFactory()).get(reverse("home"))

    assert response.status_code == 403
    assert b"no role yet" in response.content


def test_the_organisation_name_is_on_every_page(client_of, alice):
    response = client_of(alice).get(reverse("cases:home"))

    badge = response.content.decode().split('data-testid="current-organisation"')[1][:200]
    assert "Betania (test)" in badge


def test_navigation_shows_only_what_the_role_may_open(client_of, betania):
    caseworker_page = (
        client_of(make_member(Role.CASEWORKER, betania)).get(reverse("cases:home")).content.decode()
    )

    assert reverse("cases:home") in caseworker_page
    assert reverse("accounts:data_protection_home") not in caseworker_page
    assert reverse("accounts:administration_home") not in caseworker_page


def test_a_role_without_the_permission_gets_403(client_of, alice):
    assert client_of(alice).get(reverse("accounts:data_protection_home")).status_code == 403


def test_the_language_switcher_changes_the_language(client_of, alice):
    client = client_of(alice)

    client.post(reverse("set_language"), {"language": "ro", "next": reverse("cases:home")})
    response = client.get(reverse("cases:home"))

    assert response["Content-Language"] == "ro"


def test_an_organisation_admin_sees_only_her_organisations_members(
    client_of, betania, outsider_organisation
):
    colleague = make_member(Role.CASEWORKER, betania, email="bob@betania.test")
    outsider = make_member(Role.CASEWORKER, outsider_organisation, email="charlie@outsider.test")
    admin = make_member(Role.ORGANISATION_ADMIN, betania)

    page = client_of(admin).get(reverse("accounts:administration_home")).content.decode()

    assert colleague.email in page
    assert outsider.email not in page
