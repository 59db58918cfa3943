"""An export job's page (progress while it runs, then its download), its progress as JSON for
the page's small script, and the download: only for the member who asked for it (anyone else,
and a missing job: 404), until its link expires (410), audited."""

from django.contrib.auth.decorators import login_required
from django.http import (
    HttpResponse,
    HttpResponseNotAllowed,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cases.forms import ExportPasswordForm
from exports import services
from exports.enums import ExportStatus
from exports.kinds import KINDS, file_name_of
from exports.selectors import export_jobs_for
from nextsteps.office_files import encrypt_office_file
from nextsteps.views import render_form


def _job_or_404(request, public_id):
    return get_object_or_404(
        export_jobs_for(request.user).select_related("organisation"), public_id=public_id
    )


@login_required
def job_page(request, public_id):
    # The job is looked up before the method is checked: someone else's job answers 404 to
    # every method, as a missing one does.
    job = _job_or_404(request, public_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    if job.has_expired():
        services.expire(job)
        return _expired(request, job)
    form = ExportPasswordForm(user=request.user) if KINDS[job.kind].needs_password else None
    return render(request, "exports/job.html", _context(job, form))


@login_required
def job_progress(request, public_id):
    """What the job page's script polls: how far the job is."""
    job = _job_or_404(request, public_id)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return JsonResponse(
        {
            "status": job.status,
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "finished": job.is_finished or job.has_expired(),
        }
    )


@login_required
def download(request, public_id):
    """The file: as stored for a kind without personal data in clear, else (the people list)
    encrypted with the password typed on the job page, which is kept nowhere."""
    job = _job_or_404(request, public_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    kind = KINDS[job.kind]
    if job.has_expired():
        services.expire(job)
        return _expired(request, job)
    if job.status != ExportStatus.READY:
        return redirect("exports:job", public_id=job.public_id)
    filename = file_name_of(job)
    if not kind.needs_password:
        response = StreamingHttpResponse(
            services.download(job, by=request.user), content_type=kind.content_type
        )
    else:
        form = ExportPasswordForm(request.POST or None, user=request.user)
        if request.method != "POST" or not form.is_valid():
            return render_form(request, "exports/job.html", _context(job, form))
        content = b"".join(services.download(job, by=request.user))
        response = HttpResponse(
            encrypt_office_file(content, form.cleaned_data["password"]),
            content_type=kind.content_type,
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _context(job, form):
    return {
        "job": job,
        "form": form,
        "title": _("Export: %(kind)s") % {"kind": job.get_kind_display()},
    }


def _expired(request, job):
    return render(request, "exports/expired.html", {"job": job}, status=410)
