"""No notification and no notification e-mail carries personal data: over the demo, with every
member's e-mail turned on, every kind of notification is made (referrals sent, accepted,
declined, completed, withdrawn and overdue; an erasure; a task; transfers asked for, accepted,
declined and withdrawn), and each notification's text
and link and each e-mail's subject and body are scanned for every alias and identity value."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Organisation, User
from cases import services as casework
from cases.enums import OPEN_REFERRAL_STATUSES, ErasureGround
from cases.models import Beneficiary, Referral, ServiceType
from demo.organisations import demo_email
from notifications.enums import NotificationKind
from notifications.models import Notification, NotificationPreference
from notifications.services import notify_task_assigned
from tests.cases.factories import refer_with_consent
from tests.test_no_personal_data_in_logs import personal_values


def member(local_part, slug=None):
    organisation = Organisation.objects.get(slug=slug) if slug else None
    return User.objects.select_related("membership__organisation").get(
        email=demo_email(local_part, organisation)
    )


def refer(person, partner, by):
    return refer_with_consent(person, partner, by=by, services=list(ServiceType.objects.all()[:1]))


def test_no_notification_or_email_names_a_person(demo_data, db, django_capture_on_commit_callbacks):
    values = personal_values()
    NotificationPreference.objects.bulk_create(
        NotificationPreference(user=user, by_email=True) for user in User.objects.all()
    )
    sender, receiver = member("caseworker", "betania"), member("caseworker", "ijm-romania")
    partner = receiver.organisation
    people = list(
        Beneficiary.objects.not_erased()
        .filter(organisation=sender.organisation, status="active")
        .exclude(referrals__to_organisation=partner)[:5]
    )
    assert len(people) == 5
    # The demo's own referrals went through the same steps: their notifications are older.
    made_before = set(Notification.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        referrals = [refer(person, partner, sender) for person in people]
        casework.accept_referral(referrals[0], by=receiver)
        casework.complete_referral(referrals[0], by=receiver)
        casework.decline_referral(referrals[1], reason="No place", by=receiver)
        casework.accept_referral(referrals[2], by=receiver)
        casework.withdraw_referral(referrals[2], by=sender)
        notify_task_assigned(sender, link="/cases/")
        for answer in ("accept", "decline", "withdraw"):
            moving = (
                Beneficiary.objects.not_erased()
                .filter(organisation=sender.organisation, status="active")
                .exclude(referrals__status__in=OPEN_REFERRAL_STATUSES)
                .exclude(pk__in=[person.pk for person in people])
                .first()
            )
            transfer = casework.request_transfer(
                moving,
                to_organisation=partner,
                reason="She moves",
                consent=casework.ConsentInStep("person", "orally", timezone.localdate()),
                by=sender,
            )
            if answer == "accept":
                casework.accept_transfer(transfer, by=receiver)
                moved = moving
            elif answer == "decline":
                casework.decline_transfer(transfer, reason="No place", by=receiver)
            else:
                casework.withdraw_transfer(transfer, by=sender)
        casework.erase_beneficiary(people[4], ground=ErasureGround.REQUEST, by=member("dpo"))
        # The sender had her case before the transfer: it is told as its former owner.
        casework.erase_beneficiary(
            Beneficiary.objects.get(pk=moved.pk), ground=ErasureGround.REQUEST, by=member("dpo")
        )
    # A referral still waiting for an answer, past its date by now.
    Referral.objects.filter(pk=referrals[3].pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_overdue_referrals", stdout=open("/dev/null", "w"))  # noqa: SIM115

    made = Notification.objects.exclude(pk__in=made_before)
    assert set(made.values_list("kind", flat=True)) == set(NotificationKind.values)
    assert len(mail.outbox) == made.count()
    texts = [f"{note.text} {note.link}" for note in Notification.objects.all()]
    texts += [f"{message.subject}\n{message.body}" for message in mail.outbox]
    leaks = {value for value in values for text in texts if value in text}
    assert leaks == set()
