from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_MEGABYTES = 20


class ImportForm(forms.Form):
    spreadsheet = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "XLSX with the template's sheets, or a CSV file of one sheet; at most %(size)s MB."
        )
        % {"size": MAX_UPLOAD_MEGABYTES},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Only check: show what would be imported, and write nothing"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_spreadsheet(self):
        upload = self.cleaned_data["spreadsheet"]
        if upload.size > MAX_UPLOAD_MEGABYTES * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB: import it with the command line.")
                % {"size": MAX_UPLOAD_MEGABYTES}
            )
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an XLSX or a CSV file."))
        return upload
