"""The caseworker's plan of one person's case: goals, follow-up tasks and the notes journal.
All are the organisation's own: another organisation (a partner with a referral included) gets
the same 404 as for a record that does not exist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cases import services
from cases.forms import GoalForm, GoalStatusForm, NoteCorrectionForm, NoteForm, TaskForm
from cases.models import CaseNote, Goal, Task
from cases.selectors import beneficiaries_for
from cases.views.common import changes_the_record, detail_url, person_form_page


def _own(model, request, public_id):
    """A goal, task or note of one of the user's organisation's people (not erased)."""
    people = beneficiaries_for(request.user).not_erased()
    return get_object_or_404(
        model.objects.filter(beneficiary__in=people).select_related("beneficiary"),
        public_id=public_id,
    )


@changes_the_record
def goal_create(request, person):
    form = GoalForm(request.POST or None)

    def save(form):
        services.add_goal(person, by=request.user, **form.cleaned_data)
        return detail_url(person)

    return person_form_page(
        request,
        person,
        form,
        save,
        title=_("Add a goal to the plan"),
        submit=_("Add the goal"),
        success=_("Goal added to the plan."),
    )


@login_required
def goal_status(request, public_id):
    goal = _own(Goal, request, public_id)
    person = goal.beneficiary
    form = GoalStatusForm(request.POST or None, goal=goal, initial={"status": goal.status})

    def save(form):
        data = form.cleaned_data
        outcome = services.set_goal_status(
            goal,
            status=data["status"],
            on=data["on"],
            by=request.user,
            record_outcome_too=data.get("record_outcome", False),
        )
        if outcome is not None:
            messages.info(request, _("Outcome recorded: %(outcome)s.") % {"outcome": outcome})
        return detail_url(person)

    return person_form_page(
        request,
        person,
        form,
        save,
        title=_("Goal: %(goal)s") % {"goal": goal.label},
        submit=_("Save"),
        success=_("The goal is updated."),
    )


@changes_the_record
def task_create(request, person):
    form = TaskForm(request.POST or None, user=request.user, person=person)

    def save(form):
        services.add_task(person, by=request.user, **form.cleaned_data)
        return detail_url(person)

    return person_form_page(
        request,
        person,
        form,
        save,
        title=_("Add a task"),
        submit=_("Add the task"),
        success=_("Task added."),
    )


@login_required
def task_done(request, public_id):
    """Mark a task done (or not done, with ``undo``), then back where the user was."""
    task = _own(Task, request, public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.POST.get("undo"):
        services.reopen_task(task, by=request.user)
        messages.success(request, _("The task is open again."))
    else:
        services.complete_task(task, by=request.user)
        messages.success(request, _("Done: %(code)s.") % {"code": task.beneficiary.code})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = detail_url(task.beneficiary)
    return redirect(back)


@changes_the_record
def note_create(request, person):
    form = NoteForm(request.POST or None)

    def save(form):
        data = form.cleaned_data
        services.write_note(person, by=request.user, text=data["text"], on=data["written_on"])
        return f"{detail_url(person)}#notes-heading"

    return person_form_page(
        request,
        person,
        form,
        save,
        title=_("Write a note"),
        submit=_("Save the note"),
        success=_("Note saved."),
    )


@login_required
def note_correct(request, public_id):
    note = _own(CaseNote, request, public_id)
    person = note.beneficiary
    form = NoteCorrectionForm(request.POST or None, initial={"text": note.text})

    def save(form):
        data = form.cleaned_data
        services.correct_note(note, by=request.user, text=data["text"], reason=data["reason"])
        return f"{detail_url(person)}#notes-heading"

    return person_form_page(
        request,
        person,
        form,
        save,
        title=_("Correct a note"),
        submit=_("Save the correction"),
        success=_("Note corrected: the earlier version stays, marked corrected."),
        intro=_("The note of %(date)s stays in the journal, marked corrected, with your reason.")
        % {"date": note.written_on.isoformat()},
    )
