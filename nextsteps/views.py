from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from nextsteps.health import failed_checks


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


@require_safe
def health(request):
    """For the load balancer and monitoring: 200 when the app can serve, 503 naming the checks
    that fail (nextsteps.health). Open without login or second factor; says nothing else."""
    failed = failed_checks()
    if failed:
        return JsonResponse({"status": "unavailable", "failed": failed}, status=503)
    return JsonResponse({"status": "ok"})
