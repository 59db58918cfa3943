from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        # One message for a wrong address and a wrong password: no user enumeration.
        "invalid_login": _("That e-mail address and password do not match an active account."),
        "inactive": _("That e-mail address and password do not match an active account."),
    }
