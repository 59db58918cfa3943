"""Referrals made in the past (the 2021-2023 history), entered now on the referral form: the day
it was sent, a reason (audited), what became of it with the days it was answered and closed.
Dates are checked (not before her intake, not in the future, steps in order), a referral into a
locked year warns, and the reports count it in the year it was sent.

Hand-computed: a woman taken in on 1 September 2021, referred to IJM on 10 March 2022, accepted
on the 12th, completed on 1 February 2023: one referral taken on in 2022, none in 2023."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from cases import services
from cases.enums import ConsentPurpose, ReferralStatus
from cases.models import ConsentEvent, Referral
from notifications.models import Notification
from pillars.computations import compute
from pillars.enums import ComputationKind, PeriodKind
from pillars.models import Period, ReportLayout
from reports.dashboards import referral_summary
from tests.factories import BeneficiaryFactory, make_member
from tests.pillars.factories import IndicatorFactory, ProgrammeFactory

REASON = "2022 referrals from the old spreadsheet"
INTAKE = date(2021, 9, 1)


@pytest.fixture
def woman(betania, reference_data):
    return BeneficiaryFactory(
        organisation=betania, location=reference_data["location"], intake_date=INTAKE
    )


def refer_url(person):
    return reverse("cases:referral_create", kwargs={"code": person.code})


def form(ijm, reference_data, **extra):
    return {
        "to_organisation": ijm.pk,
        "services": [reference_data["legal"].pk],
        "message": "",
        "sent_on": "2022-03-10",
        "late_reason": REASON,
        "became": "completed",
        "answered_on": "2022-03-12",
        "closed_on": "2023-02-01",
        **extra,
    }


def taken_on_in(year, ijm):
    indicator = IndicatorFactory(
        computation=ComputationKind.REFERRALS,
        parameters={"statuses": ["accepted", "completed"]},
    )
    return compute([indicator], date(year, 1, 1), date(year, 12, 31))[indicator.pk]


def test_a_referral_of_2022_is_entered_with_its_steps_and_counts_in_2022(
    client_of, alice, woman, ijm, ijm_caseworker, reference_data
):
    response = client_of(alice).post(refer_url(woman), form(ijm, reference_data))

    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.sent_on, referral.status) == (date(2022, 3, 10), ReferralStatus.COMPLETED)
    assert timezone.localtime(referral.sent_at).date() == date(2022, 3, 10)
    assert timezone.localtime(referral.responded_at).date() == date(2022, 3, 12)
    assert timezone.localtime(referral.closed_at).date() == date(2023, 2, 1)
    # An answer needed by 14 days after it was sent, as the form gives a new one.
    assert referral.due_date == date(2022, 3, 24)
    steps = [(event.status, timezone.localtime(event.at).date()) for event in referral.events.all()]
    assert steps == [
        ("sent", date(2022, 3, 10)),
        ("accepted", date(2022, 3, 12)),
        ("completed", date(2023, 2, 1)),
    ]
    assert REASON in referral.events.last().reason
    audit = AuditEvent.objects.get(action=AuditAction.CREATE, object_reference=woman.code)
    assert (
        f"back-dated: sent on 2022-03-10, entered on {timezone.localdate().isoformat()}, "
        f"completed; why: {REASON}" in audit.detail
    )
    # A closed referral of the past shares nothing: no consent needed, none invented.
    assert not ConsentEvent.objects.filter(purpose=ConsentPurpose.SHARING).exists()
    # Nothing for the partner to answer: no notification of a new referral.
    assert not Notification.objects.filter(recipient=ijm_caseworker).exists()
    assert (taken_on_in(2022, ijm), taken_on_in(2023, ijm)) == (1, 0)
    # Time to accept on the referrals dashboard: 2 days, not years.
    summary = referral_summary(date(2022, 1, 1), date(2022, 12, 31))
    assert (summary.sent, summary.completed, summary.median_days_to_accept) == (1, 1, 2.0)


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"late_reason": ""}, "late_reason", "Say why the referral is entered with a past date."),
        ({"sent_on": "2021-08-31"}, "sent_on", "2021-08-31 is before"),
        ({"answered_on": "2022-03-09"}, "answered_on", "This day is on or after it was sent."),
        (
            {"closed_on": "2022-03-11"},
            "closed_on",
            "This day is on or after it was sent and answered.",
        ),
        ({"closed_on": "2999-01-01"}, "closed_on", "This day cannot be in the future."),
    ],
)
def test_a_referral_of_the_past_with_wrong_dates_or_no_reason_saves_nothing(
    client_of, alice, woman, ijm, reference_data, extra, field, message
):
    response = client_of(alice).post(refer_url(woman), form(ijm, reference_data, **extra))

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Referral.objects.exists()


def test_a_referral_cannot_be_sent_in_the_future(client_of, alice, woman, ijm, reference_data):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = client_of(alice).post(refer_url(woman), form(ijm, reference_data, sent_on=tomorrow))

    assert response.status_code == 400
    assert "cannot be in the future" in " ".join(response.context["form"].errors["sent_on"])
    assert not Referral.objects.exists()


def test_a_referral_of_the_past_still_open_needs_her_consent(
    client_of, alice, woman, ijm, reference_data, ijm_caseworker
):
    response = client_of(alice).post(
        refer_url(woman), form(ijm, reference_data, became="sent", answered_on="", closed_on="")
    )
    assert response.status_code == 400
    assert not Referral.objects.exists()

    response = client_of(alice).post(
        refer_url(woman),
        form(
            ijm,
            reference_data,
            became="sent",
            answered_on="",
            closed_on="",
            consent_given="on",
            consent_given_by="person",
            consent_method="signed_form",
            consent_date="2022-03-10",
        ),
    )

    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.status, referral.due_date) == (ReferralStatus.SENT, date(2022, 3, 24))
    # Still waiting for the partner: it hears of it as of any new referral.
    assert Notification.objects.filter(recipient=ijm_caseworker).count() == 1


def test_a_closed_referral_of_the_past_beside_an_open_one_of_today(
    alice, woman, ijm, reference_data
):
    services.record_consent(
        woman,
        purpose=ConsentPurpose.SHARING,
        action="given",
        on=timezone.localdate(),
        by=alice,
        partner=ijm,
    )
    services.send_referral(
        woman,
        to_organisation=ijm,
        services=[reference_data["legal"]],
        due_date=timezone.localdate() + timedelta(days=5),
        by=alice,
    )
    historic = services.HistoricReferral(
        sent_on=date(2022, 3, 10), reason=REASON, status=ReferralStatus.DECLINED
    )

    services.send_referral(
        woman, to_organisation=ijm, services=[], due_date=None, by=alice, historic=historic
    )

    assert sorted(Referral.objects.values_list("status", flat=True)) == ["declined", "sent"]
    # A second open one stays refused, back-dated or not.
    with pytest.raises(ValidationError, match="already has an open referral"):
        services.send_referral(
            woman,
            to_organisation=ijm,
            services=[],
            due_date=None,
            by=alice,
            historic=services.HistoricReferral(sent_on=date(2022, 4, 1), reason=REASON),
        )


def test_a_referral_into_a_locked_year_warns_and_is_saved(
    client_of, alice, woman, ijm, reference_data
):
    programme = ProgrammeFactory(start_date=date(2021, 1, 1), end_date=date(2023, 12, 31))
    Period.objects.create(
        programme=programme,
        kind=PeriodKind.YEAR,
        label="2022",
        start_date=date(2022, 1, 1),
        end_date=date(2022, 12, 31),
        layout=ReportLayout.objects.create(programme=programme, name="Annual report"),
        locked_at=timezone.now(),
        locked_by=make_member(Role.PROGRAMME_COORDINATOR),
    )

    response = client_of(alice).post(refer_url(woman), form(ijm, reference_data), follow=True)

    assert (
        "2022 is locked: this entry will not change the published report until 2022 is "
        "restated." in response.content.decode()
    )
    assert Referral.objects.count() == 1


def test_a_referral_of_today_is_as_before(client_of, alice, woman, ijm, reference_data):
    services.record_consent(
        woman,
        purpose=ConsentPurpose.SHARING,
        action="given",
        on=timezone.localdate(),
        by=alice,
        partner=ijm,
    )
    due = (timezone.localdate() + timedelta(days=5)).isoformat()

    missing_due = client_of(alice).post(
        refer_url(woman),
        {"to_organisation": ijm.pk, "services": [reference_data["legal"].pk], "message": ""},
    )
    response = client_of(alice).post(
        refer_url(woman),
        {
            "to_organisation": ijm.pk,
            "services": [reference_data["legal"].pk],
            "message": "",
            "due_date": due,
            # What became of it is for a referral of the past only.
            "became": "completed",
        },
    )

    assert missing_due.status_code == 400
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.sent_on, referral.status) == (timezone.localdate(), ReferralStatus.SENT)
