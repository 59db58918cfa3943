"""How django-axes names the account a login attempt was for (AXES_USERNAME_CALLABLE)."""

from django.conf import settings
from django.utils.crypto import salted_hmac


def login_attempt_key(request, credentials=None):
    """A keyed hash of the typed e-mail address, trimmed and lower-cased.

    Lower-casing matters: accounts are found by address in any case, so a count per exact
    spelling would give an attacker five guesses per spelling (aLice@, ALice@ ...). Hashing
    keeps typed addresses, and passwords typed into the address field, out of axes' table.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    typed = credentials.get(field) if credentials else request.POST.get(field)
    if not typed:
        return None
    normalised = str(typed).strip().lower()
    return salted_hmac("accounts.login_attempt", normalised, algorithm="sha256").hexdigest()
