"""One login per role in each of the partnership's organisations, for the demo (`load_demo`)."""

from dataclasses import dataclass

from accounts.enums import Role
from accounts.models import Membership, Organisation, User

# The partnership's organisations come from the plan file (plans/); the demo adds logins.
DEMO_ORGANISATION_SLUGS = ["betania", "salvation-army", "ijm-romania", "nl-partner"]

ORGANISATION_LOGINS = [
    ("caseworker", Role.CASEWORKER),
    ("coordinator", Role.ORGANISATION_COORDINATOR),
    ("admin", Role.ORGANISATION_ADMIN),
]
PARTNERSHIP_DOMAIN = "nextsteps.example"
PARTNERSHIP_LOGINS = [
    ("programme", Role.PROGRAMME_COORDINATOR),
    ("dpo", Role.DATA_PROTECTION_OFFICER),
    ("siteadmin", Role.SITE_ADMIN),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: Role
    organisation: Organisation | None


def demo_email(local_part, organisation=None):
    domain = f"{organisation.slug}.example" if organisation else PARTNERSHIP_DOMAIN
    return f"{local_part}@{domain}"


def load_organisations():
    """{slug: organisation} of the partnership, as the plan file created them."""
    return {
        organisation.slug: organisation
        for organisation in Organisation.objects.filter(slug__in=DEMO_ORGANISATION_SLUGS)
    }


def load_logins(organisations, password):
    logins = []
    for organisation in organisations.values():
        for local_part, role in ORGANISATION_LOGINS:
            logins.append(
                _login(demo_email(local_part, organisation), role, organisation, password)
            )
    for local_part, role in PARTNERSHIP_LOGINS:
        logins.append(_login(demo_email(local_part), role, None, password))
    return logins


def _login(email, role, organisation, password):
    is_site_admin = role == Role.SITE_ADMIN
    user, _ = User.objects.update_or_create(
        email=email,
        defaults={
            "display_name": f"Demo {Role(role).label.lower()}",
            "is_staff": is_site_admin,
            "is_superuser": is_site_admin,
            "is_active": True,
        },
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    Membership.objects.update_or_create(
        user=user, defaults={"role": role, "organisation": organisation}
    )
    return DemoLogin(email=email, role=role, organisation=organisation)
