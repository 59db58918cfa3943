from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


def redirect_after_saving(request, form, save, *, success):
    """Run a posted form through its domain function: when the form is valid, ``save(form)``
    saves and returns the URL to go to next, and the user is sent there with ``success`` (a
    message, or a function of the form that makes one). A rule
    the domain function refuses (ValidationError) is shown on the form and nothing is saved.
    Returns None while the form is to be shown (again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        next_url = save(form)
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, success(form) if callable(success) else success)
    return redirect(next_url)
