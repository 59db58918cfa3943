"""One notification e-mail through a real SMTP server (aiosmtpd) started in the test: what the
mail server receives is what the member gets."""

import socket
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller

from notifications.models import NotificationPreference
from tests.cases.factories import refer_with_consent


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd names the hook
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


def test_a_new_referral_reaches_the_partners_mailbox_without_personal_data(
    smtp_server,
    alice,
    person,
    ijm,
    ijm_caseworker,
    reference_data,
    django_capture_on_commit_callbacks,
):
    NotificationPreference.objects.create(user=ijm_caseworker, by_email=True)

    with django_capture_on_commit_callbacks(execute=True):
        refer_with_consent(person, ijm, by=alice, services=[reference_data["shelter"]])

    ((recipients, message),) = smtp_server.messages
    assert recipients == [ijm_caseworker.email]
    body = message.get_payload(decode=True).decode()
    assert "You have a new referral in Next Steps" in message["Subject"]
    assert "/notifications/" in body
    for secret in (person.code, person.alias, person.legal_name, person.phone):
        assert secret not in body and secret not in message["Subject"]
