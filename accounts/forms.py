from datetime import timedelta

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import two_factor
from accounts.enums import ORGANISATION_ROLES, Role
from nextsteps.bounds import date_in_calendar_validators


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

    def clean(self):
        # Accounts have ASCII addresses. Other letters are refused before any lookup: the
        # database folds some of them onto ASCII (the dotless i, U+0131, onto I), which made other
        # spellings of an account that the lockout did not count as the same.
        if not str(self.data.get("username", "")).isascii():
            raise self.get_invalid_login_error()
        return super().clean()


class CodeForm(forms.Form):
    """One code: from the authenticator app, or a backup code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "inputmode": "text",
            }
        ),
    )


class ConfirmIdentityForm(forms.Form):
    """The password and a current code, before the second factor is changed in an open
    session. ``confirm_identity`` tells this form's post from the page's next step."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    code = forms.CharField(
        label=_("A code from your authenticator app, or a backup code"),
        max_length=32,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )
    confirm_identity = forms.CharField(widget=forms.HiddenInput, initial="1")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["code"].required = two_factor.has_authenticator(user)
        if not self.fields["code"].required:
            del self.fields["code"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        two_factor.check_identity(
            self.user, password=cleaned["password"], code=cleaned.get("code", "")
        )
        return cleaned


class MemberForm(forms.Form):
    """A new member of the admin's organisation. The organisation is the admin's, never the
    form's; the roles offered are those of an organisation."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    display_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(role.value, role.label) for role in Role if role in ORGANISATION_ROLES],
    )


class ReviewPeriodForm(forms.Form):
    """Days to review in the unusual-access report (UTC days, like the audit log)."""

    DEFAULT_DAYS = 30

    # Bounded: the review reads up to the day after, which 9999-12-31 has not (it was a 500).
    date_from = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=date_in_calendar_validators(),
    )
    date_until = forms.DateField(
        label=_("Until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=date_in_calendar_validators(),
    )

    def __init__(self, data):
        # The period on screen is the period reviewed: empty dates show their defaults.
        data = data.copy()
        today = timezone.now().date()
        if not data.get("date_until"):
            data["date_until"] = today.isoformat()
        if not data.get("date_from"):
            data["date_from"] = (today - timedelta(days=self.DEFAULT_DAYS)).isoformat()
        super().__init__(data)

    def clean(self):
        cleaned = super().clean()
        start, until = cleaned.get("date_from"), cleaned.get("date_until")
        if start and until and start > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned
