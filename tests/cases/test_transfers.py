"""Transfer of a case to another organisation: asked with her consent by the organisation that
has it, accepted (or declined) by the one asked, withdrawn by the one that asked. Her record,
identity, notes, plan and documents go with her; the help, outcomes and referrals of the past
stay with the organisation that did them, and so do the figures."""

import uuid
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from cases import services
from cases.enums import ConsentPurpose, ErasureGround, OutcomeKind, ReferralStatus, TransferStatus
from cases.models import Beneficiary, CaseNote, ConsentEvent, ErasureNotice, Goal, Transfer
from cases.selectors import timeline_of
from documents.services import add_document
from notifications.enums import NotificationKind
from notifications.models import Notification
from pillars.computations import ReportFilters, compute
from pillars.enums import ComputationKind
from tests.cases.factories import ReferralFactory
from tests.cases.test_races import at_once, race, unscoped
from tests.documents.files import PDF
from tests.factories import BeneficiaryFactory, ServiceTypeFactory, make_member
from tests.pillars.factories import IndicatorFactory, make_plan

REASON = "She returns to Iasi, near her mother"


def consent():
    return services.ConsentInStep(given_by="person", method="signed_form", on=date.today())


def ask(person, partner, by, reason=REASON):
    return services.request_transfer(
        person, to_organisation=partner, reason=reason, consent=consent(), by=by
    )


def detail_url(person):
    return reverse("cases:beneficiary_detail", kwargs={"code": person.code})


def transfer_url(transfer, step=""):
    name = f"cases:transfer_{step}" if step else "cases:transfer_detail"
    return reverse(name, kwargs={"public_id": transfer.public_id})


# -- asking -------------------------------------------------------------------------------------


def test_asking_records_her_consent_and_tells_the_partner_without_naming_her(
    alice, person, ijm, ijm_caseworker
):
    transfer = ask(person, ijm, alice)

    assert transfer.status == TransferStatus.REQUESTED
    assert (transfer.from_organisation, transfer.to_organisation) == (alice.organisation, ijm)
    given = ConsentEvent.objects.get(beneficiary=person, purpose=ConsentPurpose.TRANSFER)
    assert (given.partner, given.action, given.given_by, given.method) == (
        ijm,
        "given",
        "person",
        "signed_form",
    )
    notice = Notification.objects.get(recipient=ijm_caseworker)
    assert notice.kind == NotificationKind.TRANSFER_REQUESTED
    assert notice.link == transfer_url(transfer)
    assert person.code not in notice.text and person.alias not in notice.text
    assert AuditEvent.objects.filter(
        object_reference=person.code, action=AuditAction.CREATE, detail__startswith="transfer"
    ).exists()
    # Until it answers, the case stays where it is.
    person.refresh_from_db()
    assert person.organisation == alice.organisation


@pytest.mark.parametrize(
    "make_it_wrong, message",
    [
        (lambda person, ijm: ReferralFactory(beneficiary=person, to_organisation=ijm), "open"),
        (
            lambda person, ijm: Beneficiary.objects.filter(pk=person.pk).update(status="closed"),
            "closed",
        ),
    ],
)
def test_a_case_with_open_referrals_or_closed_does_not_move(
    alice, person, ijm, make_it_wrong, message
):
    make_it_wrong(person, ijm)
    person.refresh_from_db()

    with pytest.raises(ValidationError, match=message):
        ask(person, ijm, alice)

    assert not Transfer.objects.exists()
    # Refused, the request leaves no consent behind (one transaction).
    assert not ConsentEvent.objects.filter(purpose=ConsentPurpose.TRANSFER).exists()


def test_one_transfer_waits_at_a_time_and_only_the_owner_asks(alice, person, ijm, ijm_caseworker):
    ask(person, ijm, alice)
    with pytest.raises(ValidationError, match="already waiting"):
        ask(person, ijm, alice)
    with pytest.raises(ValidationError, match="Only the organisation that has the case"):
        ask(person, alice.organisation, ijm_caseworker)
    assert Transfer.objects.count() == 1


def test_the_form_keeps_what_was_typed_when_consent_is_missing(client_of, alice, person, ijm):
    url = reverse("cases:transfer_create", kwargs={"code": person.code})
    response = client_of(alice).post(url, {"to_organisation": ijm.pk, "reason": REASON})

    assert response.status_code == 400
    assert REASON in response.content.decode()
    assert "A case moves only with the person" in response.content.decode()
    assert not Transfer.objects.exists()


def test_a_double_click_on_the_form_asks_once(client_of, alice, person, ijm):
    url = reverse("cases:transfer_create", kwargs={"code": person.code})
    data = {
        "to_organisation": ijm.pk,
        "reason": REASON,
        "consent_given": "on",
        "consent_given_by": "person",
        "consent_method": "orally",
        "consent_date": timezone.localdate().isoformat(),
        "submission_id": str(uuid.uuid4()),
    }
    client = client_of(alice)
    first, second = client.post(url, data), client.post(url, data)

    transfer = Transfer.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == transfer_url(transfer)


# -- what each side sees ------------------------------------------------------------------------


def test_the_partner_sees_only_the_minimal_set_until_it_accepts(
    client_of, alice, person, ijm_caseworker, ijm, charlie
):
    transfer = ask(person, ijm, alice)
    client = client_of(ijm_caseworker)

    page = client.get(transfer_url(transfer)).content.decode()

    assert person.code in page and person.alias in page and REASON in page
    for secret in ("Ionela Secret-Name", "+40 711 222 333", "Trafficker looking for her"):
        assert secret not in page
    assert client.get(detail_url(person)).status_code == 404
    assert AuditEvent.objects.filter(
        actor=ijm_caseworker, object_reference=person.code, detail="transfer, minimal profile"
    ).exists()
    # A third organisation finds nothing, as for a transfer that does not exist.
    outsider = client_of(charlie)
    assert outsider.get(transfer_url(transfer)).status_code == 404
    assert outsider.post(transfer_url(transfer, "accept")).status_code == 404


# -- accepting ----------------------------------------------------------------------------------


@pytest.fixture
def plan_of_her_case(alice, person):
    goal = services.add_goal(person, by=alice, goal_type=None, title="A job in Iasi")
    open_task = services.add_task(
        person, by=alice, title="Call the lawyer", due_date=date(2030, 1, 1), goal=goal
    )
    done_task = services.add_task(person, by=alice, title="Bus ticket", due_date=date(2024, 1, 1))
    services.complete_task(done_task, by=alice)
    document = add_document(
        person,
        upload=SimpleUploadedFile("id.pdf", PDF),
        kind="police_report",
        by=alice,
    )
    return goal, open_task, done_task, document


def test_accepted_her_whole_file_goes_to_the_receiver_and_the_sender_loses_it(
    client_of, alice, person, ijm, ijm_caseworker, plan_of_her_case, reference_data
):
    goal, open_task, done_task, document = plan_of_her_case
    helped = services.log_assistance(
        person,
        by=alice,
        service_type=reference_data["shelter"],
        date=date(2023, 5, 1),
        sub_project=reference_data["sub_project"],
    )
    transfer = ask(person, ijm, alice)

    response = client_of(ijm_caseworker).post(transfer_url(transfer, "accept"))

    assert response.status_code == 302 and response.url == detail_url(person)
    person.refresh_from_db()
    assert person.organisation == ijm
    assert person.organisation_at_intake == alice.organisation
    assert person.code.startswith("BET-")  # her code stays: the audit log knows her by it
    for record in (goal, open_task, done_task, document):
        record.refresh_from_db()
        assert record.organisation == ijm
    assert CaseNote.objects.filter(beneficiary=person).values_list("organisation", flat=True)[
        0
    ] == (ijm.pk)
    # An open task of someone outside the receiver goes to whoever accepted; a done one keeps
    # who did it.
    assert open_task.assignee == ijm_caseworker
    assert done_task.assignee == alice
    # The help of the past stays Betania's.
    helped.refresh_from_db()
    assert helped.organisation == alice.organisation

    receiver = client_of(ijm_caseworker)
    page = receiver.get(detail_url(person))
    assert page.status_code == 200
    assert "Ionela Secret-Name" in page.content.decode()
    kinds = {entry.kind: entry for entry in page.context["timeline"]}
    assert kinds["assistance"].organisation == alice.organisation.name
    assert kinds["transfer"].detail == f"{alice.organisation} → {ijm}"
    download = reverse("documents:download", kwargs={"public_id": document.public_id})
    assert receiver.get(download).status_code == 200

    sender = client_of(alice)
    assert sender.get(detail_url(person)).status_code == 404
    assert sender.get(download).status_code == 404
    assert REASON not in sender.get(transfer_url(transfer)).content.decode()
    assert Notification.objects.filter(
        recipient=alice, kind=NotificationKind.TRANSFER_ACCEPTED
    ).exists()
    assert AuditEvent.objects.filter(
        object_reference=person.code, organisation=ijm, detail__startswith="case transferred in"
    ).exists()


def test_an_edit_opened_before_the_transfer_is_refused_as_stale(alice, person, ijm, ijm_caseworker):
    seen = Beneficiary.objects.get(pk=person.pk)
    services.accept_transfer(ask(person, ijm, alice), by=ijm_caseworker)

    person.refresh_from_db()
    assert person.version == seen.version + 1


def test_consent_withdrawn_before_the_answer_stops_the_transfer(alice, person, ijm, ijm_caseworker):
    transfer = ask(person, ijm, alice)
    services.record_consent(
        person,
        purpose=ConsentPurpose.TRANSFER,
        partner=ijm,
        action="withdrawn",
        on=timezone.localdate(),
        by=alice,
    )
    with pytest.raises(ValidationError, match="consent"):
        services.accept_transfer(transfer, by=ijm_caseworker)
    person.refresh_from_db()
    assert person.organisation == alice.organisation


def test_decline_needs_a_reason_and_leaves_the_case(alice, person, ijm, ijm_caseworker):
    transfer = ask(person, ijm, alice)
    with pytest.raises(ValidationError):
        services.decline_transfer(transfer, reason="  ", by=ijm_caseworker)

    services.decline_transfer(transfer, reason="No place in Iasi", by=ijm_caseworker)

    transfer.refresh_from_db()
    person.refresh_from_db()
    assert (transfer.status, transfer.decline_reason) == ("declined", "No place in Iasi")
    assert person.organisation == alice.organisation
    assert Notification.objects.filter(
        recipient=alice, kind=NotificationKind.TRANSFER_DECLINED
    ).exists()
    # Answered, it can be asked again (to them or another partner).
    assert ask(person, ijm, alice).status == TransferStatus.REQUESTED


def test_only_the_side_that_asked_withdraws_and_nothing_is_answered_twice(
    alice, person, ijm, ijm_caseworker
):
    transfer = ask(person, ijm, alice)
    with pytest.raises(ValidationError, match="Only the organisation that asked"):
        services.withdraw_transfer(transfer, by=ijm_caseworker)
    with pytest.raises(ValidationError, match="Only the organisation asked"):
        services.accept_transfer(transfer, by=alice)

    services.withdraw_transfer(transfer, by=alice)

    with pytest.raises(ValidationError, match="now withdrawn"):
        services.accept_transfer(transfer, by=ijm_caseworker)
    assert Notification.objects.filter(
        recipient=ijm_caseworker, kind=NotificationKind.TRANSFER_WITHDRAWN
    ).exists()
    person.refresh_from_db()
    assert person.organisation == alice.organisation


# -- the figures --------------------------------------------------------------------------------


def test_each_organisation_keeps_its_past_work_in_the_figures(db, betania, ijm):
    """Hand-computed: Betania took Ana and Bea in in 2022 and helped both that year, and Ana
    found a job in 2022 (Betania's outcome). Ana's case moves to IJM; IJM helps her after the
    move. 2022 reads the same before and after for both organisations; the help after the
    move counts for IJM, and the intake stays Betania's."""
    plan = make_plan()
    pillar = plan.pillars[1]
    indicators = {
        "helped": IndicatorFactory(pillar=pillar, computation=ComputationKind.ASSISTED_PEOPLE),
        "new": IndicatorFactory(pillar=pillar, computation=ComputationKind.NEW_PEOPLE),
        "employed": IndicatorFactory(
            pillar=pillar,
            computation=ComputationKind.PEOPLE_WITH_OUTCOME,
            parameters={"outcome_kinds": [OutcomeKind.EMPLOYED]},
        ),
    }
    betania_worker = make_member(Role.CASEWORKER, betania)
    ijm_worker = make_member(Role.CASEWORKER, ijm)
    shelter = ServiceTypeFactory(code="shelter")
    ana, bea = (
        BeneficiaryFactory(organisation=betania, location=plan.oradea, intake_date=day)
        for day in (date(2022, 2, 1), date(2022, 3, 1))
    )
    for person in (ana, bea):
        services.log_assistance(
            person, by=betania_worker, service_type=shelter, date=date(2022, 6, 1),
            sub_project=plan.main,
        )  # fmt: skip
    services.record_outcome(ana, kind=OutcomeKind.EMPLOYED, on=date(2022, 9, 1), by=betania_worker)

    def figures(organisation, start=date(2022, 1, 1), end=date(2022, 12, 31)):
        computed = compute(
            indicators.values(), start, end, ReportFilters(organisation=organisation)
        )
        return {name: computed.get(indicator.pk) for name, indicator in indicators.items()}

    expected_2022 = {
        betania: {"helped": 2, "new": 2, "employed": 1},
        ijm: {"helped": 0, "new": 0, "employed": 0},
        None: {"helped": 2, "new": 2, "employed": 1},
    }
    assert {org: figures(org) for org in expected_2022} == expected_2022

    services.accept_transfer(ask(ana, ijm, betania_worker), by=ijm_worker)
    ana.refresh_from_db()
    today = timezone.localdate()
    services.log_assistance(
        ana, by=ijm_worker, service_type=shelter, date=today, sub_project=plan.main
    )

    assert {org: figures(org) for org in expected_2022} == expected_2022
    this_year = (date(today.year, 1, 1), date(today.year, 12, 31))
    assert figures(ijm, *this_year) == {"helped": 1, "new": 0, "employed": 0}
    assert figures(betania, *this_year) == {"helped": 0, "new": 0, "employed": 0}
    # Over everything: Ana once, helped by both; intakes where they were.
    everything = (date(2022, 1, 1), today)
    assert figures(betania, *everything) == {"helped": 2, "new": 2, "employed": 1}
    assert figures(ijm, *everything) == {"helped": 1, "new": 0, "employed": 0}
    assert figures(None, *everything) == {"helped": 2, "new": 2, "employed": 1}


# -- erasure after a transfer -------------------------------------------------------------------


def test_erasure_after_a_transfer_tells_the_former_organisation(alice, person, ijm, ijm_caseworker):
    transfer = ask(person, ijm, alice)
    services.accept_transfer(transfer, by=ijm_caseworker)
    person.refresh_from_db()

    services.erase_beneficiary(
        person, ground=ErasureGround.REQUEST, by=make_member(Role.DATA_PROTECTION_OFFICER)
    )

    assert ErasureNotice.objects.filter(beneficiary=person, organisation=alice.organisation)
    transfer.refresh_from_db()
    assert transfer.reason == ""
    assert timeline_of(person, [], None)[0].kind == "transfer"


def test_the_former_owner_is_told_of_its_transfer_and_a_partner_of_its_referral(
    client_of, alice, person, ijm, ijm_caseworker, charlie
):
    # Before the case moved, Betania had referred her to a third organisation.
    ReferralFactory(
        beneficiary=person, to_organisation=charlie.organisation, status=ReferralStatus.COMPLETED
    )
    services.accept_transfer(ask(person, ijm, alice), by=ijm_caseworker)
    person.refresh_from_db()

    services.erase_beneficiary(
        person, ground=ErasureGround.REQUEST, by=make_member(Role.DATA_PROTECTION_OFFICER)
    )

    def notice_in_inbox(user):
        page = client_of(user).get(reverse("cases:referral_inbox")).content.decode()
        return page.split('data-testid="erasure-notices"')[1].split("</section>")[0]

    former_owner = notice_in_inbox(alice)
    assert "your organisation transferred the case to IJM (test)" in former_owner
    assert "referred by" not in former_owner
    # The partner was referred to her by Betania, not by IJM, which has her record now.
    partner = notice_in_inbox(charlie)
    assert "referred by Betania (test)" in partner and "transferred" not in partner
    kinds = dict(
        Notification.objects.filter(kind__startswith="erasure").values_list("recipient", "kind")
    )
    assert kinds[alice.pk] == NotificationKind.ERASURE_AFTER_TRANSFER
    assert kinds[charlie.pk] == NotificationKind.ERASURE_NOTICE
    for language in ("ro", "nl"):
        with translation.override(language):
            after_transfer = str(NotificationKind.ERASURE_AFTER_TRANSFER.label)
            assert after_transfer != str(NotificationKind.ERASURE_NOTICE.label)
            assert (
                after_transfer
                != "A person whose case you transferred was erased: delete any copy you keep."
            )


def test_erasure_ends_a_transfer_still_waiting(alice, person, ijm, ijm_caseworker):
    transfer = ask(person, ijm, alice)

    services.erase_beneficiary(
        person, ground=ErasureGround.REQUEST, by=make_member(Role.DATA_PROTECTION_OFFICER)
    )

    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        services.accept_transfer(transfer, by=ijm_caseworker)


# -- races (PostgreSQL) -------------------------------------------------------------------------


@race
def test_two_accepts_at_once_move_the_case_once(betania, ijm, reference_data):
    asker = make_member(Role.CASEWORKER, betania)
    receivers = [make_member(Role.CASEWORKER, ijm), make_member(Role.ORGANISATION_ADMIN, ijm)]
    for _ in range(4):
        person = BeneficiaryFactory(organisation=betania)
        Goal.objects.create(beneficiary=person, organisation=betania, title="A job")
        transfer = unscoped(ask, person, ijm, asker)()

        results = at_once(
            *(unscoped(services.accept_transfer, transfer, by=user) for user in receivers)
        )

        refused = [result for result in results if isinstance(result, ValidationError)]
        assert len(refused) == 1, results
        assert "now accepted" in refused[0].messages[0]
        person.refresh_from_db()
        assert person.organisation == ijm
        assert person.version == 2  # moved once
        audit = AuditEvent.objects.filter(
            object_reference=person.code, detail__startswith="case transferred in"
        )
        assert audit.count() == 1


@race
def test_a_withdrawal_and_an_accept_at_once_serialise(betania, ijm, reference_data):
    asker = make_member(Role.CASEWORKER, betania)
    receiver = make_member(Role.CASEWORKER, ijm)
    outcomes = set()
    for _ in range(4):
        person = BeneficiaryFactory(organisation=betania)
        transfer = unscoped(ask, person, ijm, asker)()

        results = at_once(
            unscoped(services.withdraw_transfer, transfer, by=asker),
            unscoped(services.accept_transfer, transfer, by=receiver),
        )

        refused = [result for result in results if isinstance(result, ValidationError)]
        assert len(refused) == 1, results
        transfer.refresh_from_db()
        person.refresh_from_db()
        # Whichever went first, the record agrees with the transfer's status.
        moved = person.organisation == ijm
        assert moved == (transfer.status == TransferStatus.ACCEPTED)
        assert transfer.status in (TransferStatus.ACCEPTED, TransferStatus.WITHDRAWN)
        outcomes.add(transfer.status)
    assert outcomes  # at least one round ran


def test_a_referral_accepted_before_blocks_the_accept(alice, person, ijm, ijm_caseworker):
    """A partner's referral opened after the request (the sender still has her case) must be
    ended before the receiver takes the case over."""
    transfer = ask(person, ijm, alice)
    ReferralFactory(beneficiary=person, to_organisation=ijm, status=ReferralStatus.ACCEPTED)

    with pytest.raises(ValidationError, match="open referrals"):
        services.accept_transfer(transfer, by=ijm_caseworker)


def test_the_transfer_list_shows_codes_only(client_of, alice, person, ijm, ijm_caseworker):
    transfer = ask(person, ijm, alice)
    page = client_of(ijm_caseworker).get(reverse("cases:transfer_list")).content.decode()

    assert transfer_url(transfer) in page and person.code in page
    assert person.alias not in page and REASON not in page


def test_the_access_report_lists_her_transfers(alice, person, ijm, ijm_caseworker):
    from cases.exports import access_report_sections
    from cases.selectors import access_report_of

    services.accept_transfer(ask(person, ijm, alice), by=ijm_caseworker)

    report = access_report_of(Beneficiary.objects.get(pk=person.pk))
    (section,) = [item for item in access_report_sections(report) if item.key == "transfers"]
    assert section.rows[0][1:] == [str(alice.organisation), str(ijm), "Accepted", REASON]
    # Betania knew who she is: it is among those told if she is erased.
    assert alice.organisation in report.recipients
