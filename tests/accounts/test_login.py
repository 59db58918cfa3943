import pytest
from django.urls import reverse

from accounts.enums import AuditAction
from accounts.models import AuditEvent
from tests.factories import TEST_PASSWORD

LOGIN_URL = reverse("accounts:login")


def log_in(client, email, password=TEST_PASSWORD, ip="10.0.0.1"):
    return client.post(LOGIN_URL, {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_a_caseworker_logs_in_with_her_email_in_any_case(client, alice):
    response = log_in(client, "ALICE@Betania.test")

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("cases:home")).status_code == 200


def test_login_is_audited_with_the_address(client, alice):
    log_in(client, alice.email, ip="10.1.2.3")

    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.actor == alice
    assert event.ip_address == "10.1.2.3"
    assert event.request_id


def test_wrong_user_and_wrong_password_get_the_same_answer(client, alice):
    wrong_password = log_in(client, alice.email, password="not her password at all")
    no_such_user = log_in(client, "nobody@betania.test")

    assert wrong_password.status_code == no_such_user.status_code == 200
    assert (
        wrong_password.context["form"].non_field_errors()
        == no_such_user.context["form"].non_field_errors()
    )
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 2


def test_repeated_failures_lock_the_login_from_that_address_only(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, alice.email, password="wrong guess number", ip="10.6.6.6")

    locked = log_in(client, alice.email, ip="10.6.6.6")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session

    from_her_office = log_in(client, alice.email, ip="10.0.0.7")
    assert from_her_office.status_code == 302


def test_logout_needs_a_post_and_ends_the_session(client, alice):
    log_in(client, alice.email)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert client.get(reverse("cases:home")).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=alice).exists()


@pytest.mark.parametrize(
    "url_name", ["home", "cases:home", "reports:home", "accounts:password_change"]
)
def test_pages_need_a_login(client, db, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response.url.startswith(LOGIN_URL)


def test_password_change_refuses_short_and_common_passwords(client_of, alice):
    client = client_of(alice)
    url = reverse("accounts:password_change")

    for weak in ["short1", "password1234"]:
        response = client.post(
            url, {"old_password": TEST_PASSWORD, "new_password1": weak, "new_password2": weak}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["new_password2"]

    strong = "a long passphrase for alice"
    response = client.post(
        url, {"old_password": TEST_PASSWORD, "new_password1": strong, "new_password2": strong}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(strong)
