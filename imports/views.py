from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.decorators import role_permission_required
from accounts.rules import Permission
from imports.forms import ImportForm
from imports.reading import read_upload
from imports.services import import_workbook
from imports.sheets import HEADERS, template_workbook
from nextsteps.views import render_form

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@role_permission_required(Permission.IMPORT_SPREADSHEETS)
def spreadsheet_import(request):
    """The organisation admin imports her organisation's old spreadsheet, a dry run first."""
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["spreadsheet"]
        result = import_workbook(
            read_upload(upload.read(), upload.name),
            organisation=request.user.organisation,
            by=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        if result.problems:
            form.add_error(None, _("Nothing was imported: correct the rows listed below."))
    return render_form(
        request,
        "imports/import.html",
        {"form": form, "result": result, "headers": HEADERS, "title": _("Import a spreadsheet")},
    )


@require_safe
@role_permission_required(Permission.IMPORT_SPREADSHEETS)
def template_download(request):
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="next-steps-import-template.xlsx"'
    return response
