"""Read queries of the accounts app, each limited to what the given user may see."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet

from accounts.enums import Role
from accounts.models import AuditEvent, AuthenticatorDevice, Membership, Organisation, User
from accounts.rules import Permission
from nextsteps.scoping import ALL_ORGANISATIONS

# Partnership-wide roles that work with every organisation's rows (aggregates for the programme
# coordinator, the audit trail and data requests for the data protection officer). The site
# admin manages users and reference data and sees no organisation's records.
_ROLES_SCOPED_TO_ALL_ORGANISATIONS = {Role.PROGRAMME_COORDINATOR, Role.DATA_PROTECTION_OFFICER}


def visible_organisation_ids(user: User | AnonymousUser) -> list[int] | None:
    """The organisations whose rows ``user``'s queries may reach (see nextsteps.scoping)."""
    if not user.is_authenticated or not user.is_active:
        return []
    membership = user.membership_or_none
    if membership is None:
        return []
    if membership.role in _ROLES_SCOPED_TO_ALL_ORGANISATIONS:
        return ALL_ORGANISATIONS
    if membership.organisation_id is not None:
        return [membership.organisation_id]
    return []


def members_for(user: User) -> QuerySet[Membership]:
    """Memberships a user may manage: their organisation's, or everyone's for the site admin."""
    memberships = Membership.objects.select_related("user", "organisation").order_by(
        "organisation__name", "role", "user__email"
    )
    if not user.has_role_permission(Permission.MANAGE_USERS):
        return memberships.none()
    if user.role == Role.SITE_ADMIN:
        return memberships
    return memberships.filter(organisation=user.organisation)


def members_with_two_factor_for(user: User) -> QuerySet[Membership]:
    """``members_for(user)``, each marked with whether the member has set up two-factor login."""
    return members_for(user).annotate(
        has_two_factor=Exists(
            AuthenticatorDevice.objects.filter(user=OuterRef("user"), confirmed=True).values("pk")
        )
    )


def audit_events_for(user: User) -> QuerySet[AuditEvent]:
    """The audit log, for the data protection officer; nothing for anyone else."""
    events = AuditEvent.objects.select_related("actor__membership__organisation", "organisation")
    if not user.has_role_permission(Permission.VIEW_AUDIT_LOG):
        return events.none()
    return events


def partner_organisations(user: User) -> QuerySet[Organisation]:
    """Organisations of the partnership other than the user's own (e.g. to refer to)."""
    return Organisation.objects.exclude(pk=getattr(user.organisation, "pk", None))


def active_addresses_of_role(role: Role, organisation: Organisation | None = None) -> list[str]:
    """E-mail addresses of the active users with ``role`` (in ``organisation`` if given)."""
    users = User.objects.filter(is_active=True, membership__role=role)
    if organisation is not None:
        users = users.filter(membership__organisation=organisation)
    return list(users.order_by("email").values_list("email", flat=True))


def organisation_admin_addresses_for(user: User) -> list[str]:
    """Who manages ``user``: her organisation's admins, or the site admins for a
    partnership-wide role; never the user herself."""
    organisation = user.organisation
    if organisation is None:
        addresses = active_addresses_of_role(Role.SITE_ADMIN)
    else:
        addresses = active_addresses_of_role(Role.ORGANISATION_ADMIN, organisation)
    return [address for address in addresses if address != user.email]
