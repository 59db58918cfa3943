"""The partnership's organisations and one login per role, for the demo (`load_demo`)."""

from dataclasses import dataclass

from accounts.enums import Country, Role
from accounts.models import Membership, Organisation, User

DEMO_ORGANISATIONS = [
    # slug, name, country, city, time zone, code prefix
    ("betania", "Betania", Country.ROMANIA, "Oradea", "Europe/Bucharest", "BET"),
    ("salvation-army", "Salvation Army", Country.ROMANIA, "Bucharest", "Europe/Bucharest", "SAL"),
    ("ijm-romania", "IJM Romania", Country.ROMANIA, "Bucharest", "Europe/Bucharest", "IJM"),
    (
        "nl-partner",
        "Netherlands partner",
        Country.NETHERLANDS,
        "Amsterdam",
        "Europe/Amsterdam",
        "NLP",
    ),
]

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
    organisations = {}
    for slug, name, country, city, time_zone, prefix in DEMO_ORGANISATIONS:
        organisations[slug], _ = Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "country": country,
                "city": city,
                "time_zone": time_zone,
                "code_prefix": prefix,
            },
        )
    return organisations


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
