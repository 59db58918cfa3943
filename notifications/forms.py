from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import CaseworkForm


class PreferenceForm(CaseworkForm, forms.Form):
    by_email = forms.BooleanField(
        label=_("Also send me an e-mail for each notification"),
        required=False,
        help_text=_(
            "The e-mail says only what happened (for example “You have a new referral in Next "
            "Steps”) and links to this app: never a code, an alias or a name."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_helper()
