"""The caseworker's day: the home page (every referral awaiting an answer first, then her
overdue and coming tasks, then flagged people), the counts in the navigation, the case plan,
tasks and the notes journal."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.enums import AuditAction, Role
from accounts.models import AuditEvent
from accounts.rules import Permission
from cases import services
from cases.models import CaseNote, Goal, Outcome, Task
from cases.selectors import HOME_LIST_LENGTH, my_tasks_for
from notifications.models import Notification
from tests.cases.factories import ReferralFactory
from tests.factories import (
    ORGANISATION_TIME_ZONE,
    BeneficiaryFactory,
    GoalTypeFactory,
    make_member,
    today_at,
)

# The test organisations' day, which their pages date by.
TODAY = timezone.localdate(timezone=ZoneInfo(ORGANISATION_TIME_ZONE))


def task(person, author, due, **fields):
    """A task the author writes (for herself unless ``assignee`` says otherwise)."""
    return services.add_task(
        person, by=author, title=fields.pop("title", "Call her"), due_date=due, **fields
    )


# -- home page and navigation ----------------------------------------------------------------------


def test_every_referral_awaiting_an_answer_is_on_home_overdue_first(
    client_of, alice, ijm, ijm_caseworker, betania
):
    waiting = [
        ReferralFactory(
            beneficiary=BeneficiaryFactory(organisation=betania),
            to_organisation=ijm,
            due_date=TODAY + timedelta(days=number),
        )
        for number in range(-1, HOME_LIST_LENGTH + 3)
    ]
    # Accepted long ago: no longer waiting for an answer, not on the home page.
    old = ReferralFactory(
        beneficiary=BeneficiaryFactory(organisation=betania),
        to_organisation=ijm,
        status="accepted",
        due_date=date(2022, 1, 1),
    )

    response = client_of(ijm_caseworker).get(reverse("cases:home"))

    shown = list(response.context["awaiting_answer"])
    assert len(shown) == len(waiting) > HOME_LIST_LENGTH
    assert old not in shown
    assert shown[0] == waiting[0] and shown[0].is_overdue
    page = response.content.decode()
    assert page.index('data-testid="awaiting-answer"') < page.index('data-testid="my-tasks"')
    assert page.index('data-testid="my-tasks"') < page.index('data-testid="flagged-people"')


def test_my_tasks_are_overdue_first_then_this_week_and_only_mine(person, alice, betania):
    colleague = make_member(Role.CASEWORKER, betania)
    overdue = task(person, alice, TODAY - timedelta(days=3))
    today = task(person, alice, TODAY)
    this_week = task(person, alice, TODAY + timedelta(days=6))
    task(person, alice, TODAY + timedelta(days=20))  # later: not on the home page
    task(person, colleague, TODAY - timedelta(days=1))  # hers
    done = task(person, alice, TODAY - timedelta(days=10))
    services.complete_task(done, by=alice)

    mine = list(my_tasks_for(alice))

    assert mine == [overdue, today, this_week]
    assert [item.is_overdue for item in mine] == [True, False, False]


def test_the_navigation_counts_referrals_awaiting_an_answer_and_overdue_tasks(
    client_of, alice, ijm, ijm_caseworker, betania
):
    for _ in range(3):
        ReferralFactory(beneficiary=BeneficiaryFactory(organisation=betania), to_organisation=ijm)
    theirs = BeneficiaryFactory(organisation=ijm)
    # Overdue by IJM's day, as its page counts them.
    today = today_at(ijm)
    task(theirs, ijm_caseworker, today - timedelta(days=1))
    task(theirs, ijm_caseworker, today - timedelta(days=2))
    task(theirs, ijm_caseworker, today)  # due today: not overdue

    page = client_of(ijm_caseworker).get(reverse("cases:beneficiary_list")).content.decode()

    assert '2<span class="visually-hidden"> tasks overdue</span>' in page
    assert '3<span class="visually-hidden"> awaiting your answer</span>' in page
    # The sender's navigation counts nothing: none of these waits for Betania.
    page = client_of(alice).get(reverse("cases:beneficiary_list")).content.decode()
    assert 'data-testid="nav-count"' not in page


def test_done_from_home_goes_back_home_and_a_double_click_is_done_once(client_of, alice, person):
    late = task(person, alice, TODAY - timedelta(days=1))
    client = client_of(alice)
    url = reverse("cases:task_done", kwargs={"public_id": late.public_id})

    first = client.post(url, {"next": reverse("cases:home")})
    client.post(url, {"next": reverse("cases:home")})

    assert first.url == reverse("cases:home")
    late.refresh_from_db()
    assert late.is_done
    assert AuditEvent.objects.filter(detail="task done").count() == 1
    assert list(my_tasks_for(alice)) == []


def test_done_refuses_a_next_address_elsewhere(client_of, alice, person):
    late = task(person, alice, TODAY)

    response = client_of(alice).post(
        reverse("cases:task_done", kwargs={"public_id": late.public_id}),
        {"next": "https://evil.example/"},
    )

    assert response.url == reverse("cases:beneficiary_detail", kwargs={"code": person.code})


# -- tasks -----------------------------------------------------------------------------------------


def test_a_task_goes_to_its_author_by_default(client_of, alice, person):
    response = client_of(alice).post(
        reverse("cases:task_create", kwargs={"code": person.code}),
        {
            "title": "Court hearing 12 May: check the shelter place",
            "due_date": "2030-05-12",
            "assignee": alice.pk,
        },
    )

    assert response.status_code == 302
    created = Task.objects.get()
    assert (created.assignee, created.title, created.due_date) == (
        alice,
        "Court hearing 12 May: check the shelter place",
        date(2030, 5, 12),
    )


def test_a_task_for_a_colleague_tells_her(person, alice, betania):
    colleague = make_member(Role.CASEWORKER, betania)

    task(person, alice, TODAY, assignee=colleague)

    assert Notification.objects.filter(recipient=colleague).count() == 1


def test_a_task_goes_only_to_a_caseworker_of_the_organisation(person, alice, ijm_caseworker):
    coordinator = make_member(Role.ORGANISATION_COORDINATOR, alice.organisation)
    for outsider in (ijm_caseworker, coordinator):
        with pytest.raises(ValidationError, match="caseworker of your organisation"):
            task(person, alice, TODAY, assignee=outsider)
    assert not Task.objects.exists()


def test_a_partner_with_a_referral_sees_none_of_the_tasks(client_of, person, alice, referral):
    late = task(person, alice, TODAY)
    services.accept_referral(referral, by=make_member(Role.CASEWORKER, referral.to_organisation))
    partner = make_member(Role.CASEWORKER, referral.to_organisation)

    url = reverse("cases:task_done", kwargs={"public_id": late.public_id})
    assert client_of(partner).post(url).status_code == 404
    page = client_of(partner).get(
        reverse("cases:referral_detail", kwargs={"public_id": referral.public_id})
    )
    assert "Call her" not in page.content.decode()


# -- the case plan ---------------------------------------------------------------------------------


def test_achieving_a_goal_records_the_matching_outcome_in_the_same_step(person, alice):
    job = GoalTypeFactory(code="job-test", name="A job (test)", outcome_kind="employed")
    goal = services.add_goal(person, by=alice, goal_type=job, title="At the sewing atelier")

    outcome = services.set_goal_status(
        goal, status="achieved", on=date(2023, 6, 1), by=alice, record_outcome_too=True
    )

    goal.refresh_from_db()
    assert (goal.status, goal.achieved_on) == ("achieved", date(2023, 6, 1))
    assert (outcome.kind, outcome.date) == ("employed", date(2023, 6, 1))
    assert Outcome.objects.filter(beneficiary=person).count() == 1


def test_a_goal_needs_a_type_or_words(client_of, alice, person):
    response = client_of(alice).post(
        reverse("cases:goal_create", kwargs={"code": person.code}), {"title": " "}
    )

    assert response.status_code == 400
    assert not Goal.objects.exists()


def test_the_goal_page_sets_the_status(client_of, alice, person):
    goal = services.add_goal(person, by=alice, goal_type=None, title="Shelter place")

    response = client_of(alice).post(
        reverse("cases:goal_status", kwargs={"public_id": goal.public_id}),
        {"status": "in_progress", "on": TODAY.isoformat()},
    )

    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == "in_progress"


# -- the notes journal -----------------------------------------------------------------------------


def test_a_correction_is_a_new_entry_and_the_earlier_one_stays_marked(client_of, alice, person):
    client = client_of(alice)
    client.post(
        reverse("cases:note_create", kwargs={"code": person.code}),
        {"text": "Hearing on 12 May", "written_on": TODAY.isoformat()},
    )
    written = _latest_note(person)

    response = client.post(
        reverse("cases:note_correct", kwargs={"public_id": written.public_id}),
        {"text": "Hearing on 15 May", "reason": "The court moved it"},
    )

    assert response.status_code == 302
    correction = CaseNote.objects.get(corrects=written)
    assert (correction.text, correction.correction_reason) == (
        "Hearing on 15 May",
        "The court moved it",
    )
    written.refresh_from_db()
    assert written.text == "Hearing on 12 May"
    page = client.get(reverse("cases:beneficiary_detail", kwargs={"code": person.code}))
    journal = page.content.decode().split('data-testid="notes"')[1]
    assert journal.index("Hearing on 15 May") < journal.index("<del>Hearing on 12 May")


def _latest_note(person):
    return CaseNote.objects.filter(beneficiary=person).order_by("-created_at", "-id").first()


def test_a_note_is_corrected_once_and_an_empty_one_refused(alice, person):
    note = services.write_note(person, by=alice, text="First")
    services.correct_note(note, by=alice, text="Second", reason="Typo")

    with pytest.raises(ValidationError, match="corrected already"):
        services.correct_note(note, by=alice, text="Third", reason="Again")
    with pytest.raises(ValidationError, match="empty"):
        services.write_note(person, by=alice, text="   ")


def test_opening_a_note_to_correct_it_is_audited_naming_the_person(client_of, alice, person):
    note = services.write_note(person, by=alice, text="First")
    before = AuditEvent.objects.filter(action=AuditAction.VIEW).count()

    client_of(alice).get(reverse("cases:note_correct", kwargs={"public_id": note.public_id}))

    assert AuditEvent.objects.filter(action=AuditAction.VIEW).count() == before + 1
    assert AuditEvent.objects.latest("id").object_reference == person.code


def test_notes_are_encrypted_at_rest(alice, person):
    services.write_note(person, by=alice, text="She is afraid of the man from Utrecht")

    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM cases_casenote")
        stored = [row[0] for row in cursor.fetchall()]
    assert not any("Utrecht" in value for value in stored)


# -- the printable case summary --------------------------------------------------------------------


def test_the_case_summary_shows_the_case_and_is_audited(client_of, alice, person):
    services.add_goal(person, by=alice, goal_type=None, title="A place in the sewing course")
    task(person, alice, TODAY, title="Call the lawyer")
    before = AuditEvent.objects.filter(action=AuditAction.VIEW).count()

    response = client_of(alice).get(reverse("cases:case_summary", kwargs={"code": person.code}))

    page = response.content.decode()
    assert response.status_code == 200
    for shown in (
        "A place in the sewing course",
        "Call the lawyer",
        "Notes only Betania reads",
        "Ionela Secret-Name",
        "Trafficker looking for her",
    ):
        assert shown in page
    assert 'class="navbar' not in page
    assert AuditEvent.objects.filter(action=AuditAction.VIEW).count() == before + 1
    audit = AuditEvent.objects.latest("id")
    assert (audit.object_reference, audit.detail) == (person.code, "case summary, identity shown")


def test_the_case_summary_leaves_the_identity_out_for_a_role_that_may_not_see_it(
    client_of, alice, person, monkeypatch
):
    # Every casework role may see identities today; a role that may not must get none.
    allowed = type(alice).has_role_permission
    monkeypatch.setattr(
        type(alice),
        "has_role_permission",
        lambda user, permission: (
            permission != Permission.SEE_IDENTITIES and allowed(user, permission)
        ),
    )

    page = client_of(alice).get(reverse("cases:case_summary", kwargs={"code": person.code}))

    assert "Ionela Secret-Name" not in page.content.decode()
    assert "+40 711 222 333" not in page.content.decode()
    assert AuditEvent.objects.latest("id").detail == "case summary"


@pytest.mark.parametrize("many", [1, 30])
def test_the_case_summary_costs_the_same_queries_however_full(
    client_of, alice, person, django_assert_num_queries, many
):
    for number in range(many):
        goal = services.add_goal(person, by=alice, goal_type=None, title=f"Goal {number}")
        task(person, alice, TODAY, goal=goal)
        services.write_note(person, by=alice, text=f"Note {number}")
    client = client_of(alice)

    # session, user; the record; its audit row; consent; goals; tasks; the timeline's
    # assistance, referral steps, outcomes, corrections, case events, transfers; notes; the
    # session's last-activity stamp, saved in a transaction (3)
    with django_assert_num_queries(18):
        client.get(reverse("cases:case_summary", kwargs={"code": person.code}))
