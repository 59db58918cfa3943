"""Read queries of notifications: a member sees her own, nobody else's."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from notifications.models import Notification, NotificationPreference


def notifications_for(user: User | AnonymousUser) -> QuerySet[Notification]:
    if not user.is_authenticated or user.organisation is None:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread_count_of_user() -> Coalesce:
    """An expression for the user row: how many of her notifications are unread. The login
    backend adds it to the query that loads the user on every request, so the bell in the
    navigation costs no query of its own. (The user is loaded before the request's organisation
    scope exists, and the recipient names the rows exactly: the plain manager is right here.)"""
    unread = (
        Notification._base_manager.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk", filter=Q(read_at__isnull=True)))
        .values("count")
    )
    return Coalesce(Subquery(unread), 0)


def wants_email(user: User) -> bool:
    return NotificationPreference.objects.filter(user=user, by_email=True).exists()
