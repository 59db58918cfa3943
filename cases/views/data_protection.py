"""The data protection officer's screens: data requests (a person's summary, her access report,
erasure) and retention. Every person of the partnership, found by code. The summary, erasure and
retention pages show no identity; the access report shows everything, because that is what the
person asked for. Every page that shows a record writes an audit row."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.decorators import role_permission_required
from accounts.enums import AuditAction
from accounts.rules import Permission
from accounts.services import record_audit
from cases import services
from cases.exports import (
    access_report_docx,
    access_report_sections,
    access_report_title,
    report_time_zone,
)
from cases.forms import ErasureForm, ExportPasswordForm, FindRecordForm, RetentionForm
from cases.selectors import (
    access_report_of,
    access_report_size,
    data_request_summary,
    data_subjects_for,
    retention_cutoff,
    retention_due_for,
)
from cases.views.common import (
    attachment,
    export_password_is_sensitive,
    export_password_page,
    refusing_an_erased_record,
)
from exports.enums import ExportKind
from exports.forms import PrepareExportForm
from exports.services import needs_a_job, request_export
from nextsteps.office_files import DOCX_CONTENT_TYPE
from nextsteps.views import redirect_after_saving, render_form


def _data_subject_or_404(request, code):
    return get_object_or_404(data_subjects_for(request.user), code=code)


def _data_request_url(person):
    return reverse("cases:data_request", kwargs={"code": person.code})


# Access reports: nothing of an erased record is exported.
_not_for_an_erased_record = refusing_an_erased_record(_data_subject_or_404, _data_request_url)


@role_permission_required(Permission.HANDLE_DATA_REQUESTS)
def data_requests(request):
    form = FindRecordForm(request.GET or None)
    if form.is_valid():
        person = data_subjects_for(request.user).filter(code=form.cleaned_data["code"]).first()
        if person is not None:
            return redirect(_data_request_url(person))
        form.add_error("code", _("No record has this code."))
    return render_form(
        request,
        "cases/data_requests.html",
        {"form": form, "retention_due": retention_due_for(request.user).count()},
    )


@login_required
def data_request(request, code):
    person = _data_subject_or_404(request, code)
    record_audit(AuditAction.VIEW, person, by=request.user, detail="data request summary")
    return render(request, "cases/data_request.html", {"summary": data_request_summary(person)})


@_not_for_an_erased_record
def access_report(request, person):
    rows = access_report_size(person)
    if needs_a_job(rows):
        # Thousands of rows are no page to read in a browser, nor to build in a request: the
        # download page prepares the document in the background.
        messages.info(
            request,
            _(
                "This record's history has %(rows)d rows: too long to show on a page. Its "
                "access report is prepared as a Word document in the background."
            )
            % {"rows": rows},
        )
        return redirect("cases:access_report_download", code=person.code)
    # Audited first: the report's list of who looked at the record includes this look.
    record_audit(AuditAction.VIEW, person, by=request.user, detail="access report")
    report = access_report_of(person)
    with timezone.override(report_time_zone(report)):
        return render(
            request,
            "cases/access_report.html",
            {
                "report": report,
                "title": access_report_title(report),
                "sections": access_report_sections(report),
                "back_url": _data_request_url(person),
            },
        )


@export_password_is_sensitive
@_not_for_an_erased_record
def access_report_download(request, person):
    rows = access_report_size(person)
    if needs_a_job(rows):
        return _access_report_job_page(request, person, rows=rows)
    form = ExportPasswordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            record_audit(
                AuditAction.EXPORT, person, by=request.user, detail="access report, encrypted DOCX"
            )
            report = access_report_of(person)
            with timezone.override(report_time_zone(report)):
                content = access_report_docx(report, password=form.cleaned_data["password"])
        return attachment(content, DOCX_CONTENT_TYPE, f"access-report-{person.code}.docx")
    return _access_report_download_page(
        request,
        person,
        form,
        intro=_(
            "A Word document protected by the password you choose here. Give the file to the "
            "person, and the password by another way (in person or on the phone)."
        ),
        cancel_url=reverse("cases:access_report", kwargs={"code": person.code}),
    )


def _access_report_download_page(request, person, form, **page):
    """The page that asks for the document's password (or for the job): ``page`` is what
    ``export_password_page`` shows besides its title."""
    record_audit(AuditAction.VIEW, person, by=request.user, detail="access report download page")
    title = _("Download the access report of %(code)s") % {"code": person.code}
    return export_password_page(request, form, title=title, **page)


def _access_report_job_page(request, person, *, rows):
    """A history longer than EXPORT_JOB_THRESHOLD rows: a background job prepares the document
    (its page shows the progress); the password is asked when it is downloaded."""
    form = PrepareExportForm(request.POST if request.method == "POST" else None)

    def save(form):
        job = request_export(
            ExportKind.ACCESS_REPORT,
            by=request.user,
            parameters={"code": person.code, "language": get_language()},
            total=rows,
        )
        return reverse("exports:job", args=[job.public_id])

    if response := redirect_after_saving(
        request, form, save, success=_("The file is being prepared.")
    ):
        return response
    return _access_report_download_page(
        request,
        person,
        form,
        intro=_(
            "The record's history has %(rows)d rows: a report this long is prepared in the "
            "background. The next page shows how far it is, and asks for the password of the "
            "Word document when it is ready. Give the file to the person, and the password by "
            "another way."
        )
        % {"rows": rows},
        cancel_url=_data_request_url(person),
        submit=_("Prepare the file"),
    )


@login_required
def erasure(request, code):
    person = _data_subject_or_404(request, code)
    if person.is_erased:
        messages.info(request, _("%(code)s is already erased.") % {"code": person.code})
        return redirect(_data_request_url(person))
    form = ErasureForm(request.POST or None, person=person)

    def save(form):
        services.erase_beneficiary(person, ground=form.cleaned_data["ground"], by=request.user)
        return _data_request_url(person)

    if done := redirect_after_saving(
        request,
        form,
        save,
        success=_("%(code)s is erased. What the figures count remains as an anonymous stub.")
        % {"code": person.code},
    ):
        return done
    record_audit(AuditAction.VIEW, person, by=request.user, detail="erasure confirmation")
    return render_form(
        request,
        "cases/erasure_confirm.html",
        {"summary": data_request_summary(person), "form": form},
    )


RETENTION_PER_PAGE = 100


def _with_last_activity(person, day):
    person.last_activity_on = day
    return person


@role_permission_required(Permission.HANDLE_DATA_REQUESTS)
def retention(request):
    """Closed records past the retention period, and one action that anonymises them all."""
    user = request.user
    due = retention_due_for(user)
    cutoff = retention_cutoff()
    form = RetentionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            anonymised = services.anonymise_closed_records(
                due, expected_count=form.cleaned_data["expected_count"], cutoff=cutoff, by=user
            )
        except ValidationError as error:
            # The list changed: show the new one, with a form that counts it.
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("%(count)d records anonymised.") % {"count": len(anonymised)}
            )
        return redirect("cases:retention")
    # At national scale thousands can be due at once: a page at a time, the count of all.
    # The last activity of every closed record is computed once (ids and days only), not once
    # for the count and again for the page.
    page = Paginator(list(due.values_list("pk", "last_activity_on")), RETENTION_PER_PAGE).get_page(
        request.GET.get("page")
    )
    last_activity = dict(page.object_list)
    shown = due.model.objects.select_related("organisation").in_bulk(list(last_activity))
    page.object_list = [
        _with_last_activity(shown[pk], day) for pk, day in last_activity.items() if pk in shown
    ]
    due_count = page.paginator.count
    record_audit(AuditAction.VIEW, by=user, detail=f"retention list, {due_count} records")
    if not form.is_bound:
        form = RetentionForm(initial={"expected_count": due_count})
    return render_form(
        request,
        "cases/retention_list.html",
        {
            "people": page,
            "page": page,
            "due_count": due_count,
            "cutoff": cutoff,
            "retention_years": settings.RECORD_RETENTION_YEARS,
            "form": form,
        },
    )
