"""Notifications: who is told what when a referral moves, the bell, the list, opening and
marking read, and the e-mail a member may turn on (which says nothing about the person)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.models import AuditEvent
from cases import services as casework
from cases.enums import ErasureGround
from notifications.enums import NotificationKind
from notifications.models import Notification, NotificationPreference
from notifications.services import notify_task_assigned
from tests.cases.factories import ReferralFactory, refer_with_consent
from tests.factories import make_member


def kinds_of(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def send(person, partner, by, reference_data):
    return refer_with_consent(person, partner, by=by, services=[reference_data["legal"]])


def test_a_new_referral_is_announced_to_every_caseworker_of_the_partner(
    alice, person, ijm, ijm_caseworker, reference_data
):
    ijm_admin = make_member(Role.ORGANISATION_ADMIN, ijm)
    ijm_coordinator = make_member(Role.ORGANISATION_COORDINATOR, ijm)
    left = make_member(Role.CASEWORKER, ijm, is_active=False)

    referral = send(person, ijm, alice, reference_data)

    assert kinds_of(ijm_caseworker) == [NotificationKind.REFERRAL_RECEIVED]
    assert kinds_of(ijm_admin) == [NotificationKind.REFERRAL_RECEIVED]
    assert kinds_of(ijm_coordinator) == []  # coordinators do no casework
    assert kinds_of(left) == []
    assert kinds_of(alice) == []
    notification = Notification.objects.get(recipient=ijm_caseworker)
    assert notification.link == reverse(
        "cases:referral_detail", kwargs={"public_id": referral.public_id}
    )
    assert notification.organisation == ijm


def test_each_answer_goes_to_the_caseworker_who_sent_the_referral(
    alice, person, ijm, ijm_caseworker, reference_data, betania
):
    colleague = make_member(Role.CASEWORKER, betania)
    referral = send(person, ijm, alice, reference_data)

    casework.accept_referral(referral, by=ijm_caseworker)
    casework.complete_referral(referral, by=ijm_caseworker)

    assert kinds_of(alice) == [
        NotificationKind.REFERRAL_COMPLETED,
        NotificationKind.REFERRAL_ACCEPTED,
    ]
    assert kinds_of(colleague) == []


def test_a_decline_reaches_all_the_senders_caseworkers_when_the_sender_has_left(
    alice, person, ijm, ijm_caseworker, reference_data, betania
):
    colleague = make_member(Role.CASEWORKER, betania)
    referral = send(person, ijm, alice, reference_data)
    alice.is_active = False
    alice.save()

    casework.decline_referral(referral, reason="No place", by=ijm_caseworker)

    assert kinds_of(colleague) == [NotificationKind.REFERRAL_DECLINED]


def test_a_withdrawal_goes_to_the_caseworker_who_accepted(
    alice, person, ijm, ijm_caseworker, reference_data
):
    other_ijm = make_member(Role.CASEWORKER, ijm)
    referral = send(person, ijm, alice, reference_data)
    casework.accept_referral(referral, by=ijm_caseworker)

    casework.withdraw_referral(referral, by=alice)

    assert kinds_of(ijm_caseworker)[0] == NotificationKind.REFERRAL_WITHDRAWN
    assert NotificationKind.REFERRAL_WITHDRAWN not in kinds_of(other_ijm)


def test_an_erasure_tells_the_partners_caseworkers(alice, person, ijm, ijm_caseworker, referral):
    dpo = make_member(Role.DATA_PROTECTION_OFFICER)

    casework.erase_beneficiary(person, ground=ErasureGround.REQUEST, by=dpo)

    assert kinds_of(ijm_caseworker) == [NotificationKind.ERASURE_NOTICE]
    assert kinds_of(alice) == []


def test_a_task_assigned_is_told_to_its_assignee_only(alice, betania):
    colleague = make_member(Role.CASEWORKER, betania)

    notify_task_assigned(alice, link="/cases/")

    assert kinds_of(alice) == [NotificationKind.TASK_ASSIGNED]
    assert kinds_of(colleague) == []


def test_an_overdue_referral_is_announced_once_to_both_sides(alice, person, ijm, ijm_caseworker):
    past = timezone.localdate() - timedelta(days=20)
    ReferralFactory(beneficiary=person, to_organisation=ijm, sent_on=past, sent_by=alice)
    on_time = ReferralFactory(to_organisation=ijm)  # due in two weeks

    call_command("notify_overdue_referrals", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("notify_overdue_referrals", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert kinds_of(ijm_caseworker) == [NotificationKind.REFERRAL_OVERDUE]
    assert kinds_of(alice) == [NotificationKind.REFERRAL_OVERDUE]
    assert not Notification.objects.filter(referral=on_time).exists()


# -- the bell and the list -------------------------------------------------------------------------


def test_the_bell_counts_unread_notifications_without_a_query_of_its_own(
    client_of, alice, person, ijm, ijm_caseworker, reference_data, django_assert_num_queries
):
    client = client_of(ijm_caseworker)
    quiet = client.get(reverse("notifications:list"))
    assert b'data-testid="unread-count"' not in quiet.content

    send(person, ijm, alice, reference_data)
    notify_task_assigned(ijm_caseworker, link="/cases/")
    # session, user (with membership and the unread count), the page of notifications and its
    # count; not the session's last-activity stamp (noted once a minute, by the page before)
    with django_assert_num_queries(4):
        response = client.get(reverse("notifications:list"))

    assert response.context["unread_notifications"] == 2
    assert b'data-testid="unread-count">2<' in response.content
    assert "Notifications, 2 unread" in response.content.decode()


@pytest.mark.parametrize("count", [1, 40])
def test_the_list_costs_the_same_queries_for_one_and_many(
    client_of, alice, betania, django_assert_num_queries, count
):
    for _ in range(count):
        notify_task_assigned(alice, link="/cases/")
    client = client_of(alice)

    with django_assert_num_queries(7):
        response = client.get(reverse("notifications:list"))

    assert len(response.context["page"].object_list) == min(count, 25)


def test_opening_marks_read_and_goes_to_the_referral(
    client_of, alice, person, ijm, ijm_caseworker, reference_data
):
    referral = send(person, ijm, alice, reference_data)
    notification = Notification.objects.get(recipient=ijm_caseworker)

    response = client_of(ijm_caseworker).post(
        reverse("notifications:open", kwargs={"public_id": notification.public_id})
    )

    assert response.status_code == 302
    assert response.url == reverse(
        "cases:referral_detail", kwargs={"public_id": referral.public_id}
    )
    notification.refresh_from_db()
    assert notification.is_read


def test_a_colleagues_notification_is_not_found(client_of, alice, betania):
    colleague = make_member(Role.CASEWORKER, betania)
    (notification,) = notify_task_assigned(colleague, link="/cases/")
    client = client_of(alice)

    for method in (client.get, client.post):
        response = method(
            reverse("notifications:open", kwargs={"public_id": notification.public_id})
        )
        assert response.status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_opening_needs_a_post(client_of, alice):
    (notification,) = notify_task_assigned(alice, link="/cases/")

    response = client_of(alice).get(
        reverse("notifications:open", kwargs={"public_id": notification.public_id})
    )

    assert response.status_code == 405
    notification.refresh_from_db()
    assert not notification.is_read


def test_mark_all_read_marks_only_ones_own(client_of, alice, betania):
    colleague = make_member(Role.CASEWORKER, betania)
    for user in (alice, alice, colleague):
        notify_task_assigned(user, link="/cases/")

    response = client_of(alice).post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=colleague, read_at__isnull=True).count() == 1


# -- e-mail ----------------------------------------------------------------------------------------


def test_no_email_unless_the_member_turned_it_on(
    alice, person, ijm, ijm_caseworker, reference_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(person, ijm, alice, reference_data)

    assert mail.outbox == []


def test_the_email_says_what_happened_and_nothing_about_the_person(
    alice,
    person,
    ijm,
    ijm_caseworker,
    reference_data,
    django_capture_on_commit_callbacks,
    settings,
):
    settings.SITE_URL = "https://nextsteps.example.org"
    NotificationPreference.objects.create(user=ijm_caseworker, by_email=True)

    with django_capture_on_commit_callbacks(execute=True):
        referral = send(person, ijm, alice, reference_data)

    (message,) = mail.outbox
    assert message.to == [ijm_caseworker.email]
    assert message.subject == "Next Steps: You have a new referral in Next Steps"
    assert "https://nextsteps.example.org/notifications/" in message.body
    text = message.subject + message.body
    for secret in (
        person.code,
        person.alias,
        person.legal_name,
        person.phone,
        str(referral.public_id),
    ):
        assert secret not in text


def test_a_failing_mail_server_does_not_undo_the_referral(
    alice,
    person,
    ijm,
    ijm_caseworker,
    reference_data,
    django_capture_on_commit_callbacks,
    settings,
    caplog,
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    NotificationPreference.objects.create(user=ijm_caseworker, by_email=True)

    with django_capture_on_commit_callbacks(execute=True):
        referral = send(person, ijm, alice, reference_data)

    referral.refresh_from_db()
    assert referral.status == "sent"
    assert "could not be sent" in caplog.text


def test_members_turn_email_on_and_off_for_themselves(client_of, alice):
    client = client_of(alice)
    assert client.get(reverse("notifications:preferences")).status_code == 200

    response = client.post(reverse("notifications:preferences"), {"by_email": "on"})

    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=alice).by_email
    client.post(reverse("notifications:preferences"), {})
    assert not NotificationPreference.objects.get(user=alice).by_email
    assert AuditEvent.objects.filter(actor=alice, detail="notification e-mails on").exists()
