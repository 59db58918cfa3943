"""The one way to build a form page, for every app.

A page with a form shows it (200); a posted form that is invalid, or that its domain function
refuses, is shown again with its errors and answers 400, on every page of the project; a valid
post is saved by a domain function and redirected to the page it names, with a success
message. Pages that render a form themselves (a formset, a search form, a
confirmation) take their status from ``form_status``."""

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.services import claim_form_submission, settle_form_submission
from nextsteps.versioning import StaleRecord
from pillars.selectors import locked_period_warning

INVALID_FORM_STATUS = 400


def form_status(*forms: Any) -> int:
    """The status of a page showing ``forms`` (forms or formsets): 400 as soon as one of them
    was submitted and has errors, 200 otherwise."""
    for form in forms:
        if form is not None and form.is_bound and _has_errors(form):
            return INVALID_FORM_STATUS
    return 200


def _has_errors(form: Any) -> bool:
    # A formset's ``errors`` is a list of dicts, one per form, plus its own non-form errors.
    errors = form.errors
    if isinstance(errors, list):
        return any(errors) or bool(form.non_form_errors())
    return bool(errors)


def render_form(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    forms: Iterable[Any] = (),
) -> HttpResponse:
    """Render a page that shows ``forms``, answering the status ``form_status`` gives."""
    forms = list(forms) or [context.get("form")]
    return render(request, template, context, status=form_status(*forms))


def redirect_after_saving(
    request: HttpRequest,
    form: Any,
    save: Callable[[Any], str],
    *,
    success: str | Callable[[Any], str],
) -> HttpResponse | None:
    """Run a posted form through its domain function: when the form is valid, ``save(form)``
    saves and returns the URL to go to next, and the user is sent there with ``success`` (a
    message, or a function of the form that makes one). A rule the domain function refuses
    (ValidationError) is shown on the form and nothing is saved. A form carrying a one-time token
    (nextsteps.forms.OneTimeForm) is saved once whatever the number of times it is posted.
    Returns None while the form is to be shown (again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    token = getattr(form, "submission_token", None) if request.user.is_authenticated else None
    try:
        with transaction.atomic():
            earlier = claim_form_submission(token, by=request.user) if token else None
            if earlier is not None:
                return _already_saved(request, earlier)
            next_url = save(form)
            if token:
                settle_form_submission(token, next_url=str(next_url))
    except ValidationError as error:
        if isinstance(error, StaleRecord) and hasattr(form, "take_current_version"):
            form.take_current_version(error.current_version)
        form.add_error(None, error)
        return None
    messages.success(request, success(form) if callable(success) else success)
    return redirect(next_url)


def warn_if_locked(request: HttpRequest, day: Any) -> None:
    """Tell whoever saved a record dated ``day`` into a locked period that the published
    figures stay as they are until it is restated (the record is saved all the same)."""
    warning = locked_period_warning(day)
    if warning:
        messages.warning(request, warning)


def _already_saved(request: HttpRequest, earlier: Any) -> HttpResponse:
    """The same form posted again (a double click, a resubmission): nothing new is saved and the
    user goes where the first submission led."""
    messages.info(request, _("This form was already sent and saved once; nothing was added."))
    return redirect(earlier.next_url or request.path)


def form_page(
    request: HttpRequest,
    form: Any,
    save: Callable[[Any], str],
    *,
    template: str,
    success: str | Callable[[Any], str],
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The form page: show ``form`` in ``template``; on a valid POST, ``save(form)`` (a domain
    function) and go to the URL it returns; an invalid or refused form is shown again (400)."""
    if done := redirect_after_saving(request, form, save, success=success):
        return done
    return render_form(request, template, {"form": form, **(context or {})})
