from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    # Roles within one organisation
    CASEWORKER = "caseworker", _("Caseworker")
    ORGANISATION_COORDINATOR = "organisation_coordinator", _("Organisation coordinator")
    ORGANISATION_ADMIN = "organisation_admin", _("Organisation admin")
    # Partnership-wide roles
    PROGRAMME_COORDINATOR = "programme_coordinator", _("Programme coordinator")
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data protection officer")
    SITE_ADMIN = "site_admin", _("Site admin")


ORGANISATION_ROLES = frozenset(
    {Role.CASEWORKER, Role.ORGANISATION_COORDINATOR, Role.ORGANISATION_ADMIN}
)
PARTNERSHIP_ROLES = frozenset(
    {Role.PROGRAMME_COORDINATOR, Role.DATA_PROTECTION_OFFICER, Role.SITE_ADMIN}
)


class Country(models.TextChoices):
    ROMANIA = "RO", _("Romania")
    NETHERLANDS = "NL", _("Netherlands")


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    TRANSITION = "transition", _("Changed state")
    ERASE = "erase", _("Erased")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logged out")
