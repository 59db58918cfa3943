"""Per-organisation scoping of queries, built on django-scopes.

Every request runs inside ``scope(organisation=...)`` (see ``OrganisationScopeMiddleware``). A model
that belongs to an organisation declares how to reach it and gets a manager whose queries only
see rows of the organisations in scope; a query outside any scope raises ``ScopeError`` instead
of silently returning every organisation's rows.

    class Consent(models.Model):
        objects = organisation_scoped_manager("beneficiary__organisation")

A model reachable by several paths (a referral belongs to its sender and its receiver) lists them
all; a row is visible when any path leads to an organisation in scope.
"""

from django.db import models
from django.db.models import Q
from django_scopes import get_scope, scope, scopes_disabled
from django_scopes.manager import DisabledQuerySet

SCOPE_DIMENSION = "organisation"

# Scope value for partnership-wide roles: rows of every organisation. Whether such a role may
# see identities is decided by the selectors, not here.
ALL_ORGANISATIONS = None

__all__ = [
    "ALL_ORGANISATIONS",
    "organisation_scope",
    "organisation_scoped_manager",
    "scopes_disabled",
]


def organisation_scope(organisation_ids):
    """Context manager: queries inside see the rows of these organisations only."""
    if organisation_ids is not ALL_ORGANISATIONS:
        organisation_ids = list(organisation_ids)
    return scope(**{SCOPE_DIMENSION: organisation_ids})


def organisation_scoped_manager(*paths, queryset_class=models.QuerySet, only=None):
    """A manager that filters by the organisations in scope along any of ``paths``. ``only``: a
    condition every row of this manager meets besides (e.g. entries that were not voided)."""
    if not paths:
        raise ValueError("Name at least one path from the model to its organisation.")

    class OrganisationScopedManager(models.Manager.from_queryset(queryset_class)):
        def get_queryset(self):
            queryset = super().get_queryset()
            if only is not None:
                queryset = queryset.filter(only)
            current_scope = get_scope()
            if not current_scope.get("_enabled", True):
                return queryset
            if SCOPE_DIMENSION not in current_scope:
                return DisabledQuerySet(
                    self.model, using=self._db, missing_scopes=[SCOPE_DIMENSION]
                )
            organisation_ids = current_scope[SCOPE_DIMENSION]
            if organisation_ids is ALL_ORGANISATIONS:
                return queryset
            reachable = Q()
            for path in paths:
                reachable |= Q(**{f"{path}__in": organisation_ids})
            return queryset.filter(reachable)

    OrganisationScopedManager.organisation_paths = paths
    return OrganisationScopedManager()
