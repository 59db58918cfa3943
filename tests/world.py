"""The world the tenancy walk and the attack tests share: our organisation, theirs and a third
one, with every app's records of theirs (tests/<app>/tenancy.py, ``add_records``)."""

from importlib import import_module
from types import SimpleNamespace

from tests.factories import OrganisationFactory

APPS = [
    "accounts",
    "cases",
    "pillars",
    "reports",
    "notifications",
    "documents",
    "imports",
    "exports",
]
REGISTRIES = [import_module(f"tests.{app}.tenancy") for app in APPS]


def build_world():
    world = SimpleNamespace(
        ours=OrganisationFactory(), theirs=OrganisationFactory(), third=OrganisationFactory()
    )
    for registry in REGISTRIES:
        registry.add_records(world)
    return world
