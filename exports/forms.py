"""The form that starts an export job: no field of its own (what to export is in the page's
address), a one-time token so that a double click starts one job, not two."""

from crispy_forms.helper import FormHelper

from nextsteps.forms import OneTimeForm


class PrepareExportForm(OneTimeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.render_hidden_fields = True
