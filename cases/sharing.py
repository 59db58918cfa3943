"""What a partner sees of a person it received by referral (need to know).

Every accepted referral shows the partner a minimal set. The sender adds, per referral and under
the person's consent to share with that partner, the fields the help asked for needs: legal
help needs her legal name and documents, a shelter her children and the danger she is in. The
defaults per service are suggestions the sender changes on the form."""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

# Always shown to a partner that accepted: enough to know whom it is helping and that she is in
# danger (the flag, not its reason).
MINIMAL_SHARED_FIELDS = ("code", "alias", "category", "sex", "birth_year", "safety_flag")

# What the sender may add, in the order the partner's page lists them.
CHOOSABLE_SHARED_FIELDS = (
    "legal_name",
    "date_of_birth",
    "document_numbers",
    "phone",
    "address",
    "nationality",
    "location",
    "dependants",
    "safety_reason",
    "exploitation_types",
    "recruiter_relation",
    "country_of_recruitment",
    "countries_of_exploitation",
)

# Service type code -> what a partner giving that help usually needs (managed service types
# without an entry suggest nothing beyond the minimal set).
DEFAULTS_BY_SERVICE = {
    "shelter": ("nationality", "location", "dependants", "safety_reason"),
    "legal-assistance": (
        "legal_name",
        "date_of_birth",
        "document_numbers",
        "nationality",
        "exploitation_types",
        "recruiter_relation",
        "country_of_recruitment",
        "countries_of_exploitation",
    ),
    "accompaniment": ("legal_name", "document_numbers", "safety_reason"),
    "medical-referral": ("legal_name", "date_of_birth"),
    "psychological-counselling": ("exploitation_types", "safety_reason"),
    "emotional-support": ("safety_reason",),
    "social-assistance": ("legal_name", "date_of_birth", "address", "dependants"),
    "employment-support": ("legal_name", "nationality", "location"),
    "vocational-training": ("nationality", "location"),
    "financial-support": ("legal_name",),
    "transport": ("location", "safety_reason"),
}

SAFE_CONTACT_HELP = _(
    "How the partner reaches the person without putting them at risk. Shown to the partner only "
    "while the referral is accepted and the person consents; erased when the referral ends or "
    "the consent is withdrawn."
)


def default_shared_fields(service_codes: Iterable[str]) -> list[str]:
    """The fields the services asked for usually need, in the partner page's order."""
    wanted = {name for code in service_codes for name in DEFAULTS_BY_SERVICE.get(code, ())}
    return [name for name in CHOOSABLE_SHARED_FIELDS if name in wanted]
