from django.contrib.auth.backends import ModelBackend

from accounts.models import User
from cases.selectors import casework_counts_of_user
from notifications.selectors import unread_count_of_user


class EmailBackend(ModelBackend):
    """Django's model backend, loading the user's membership and organisation with the user:
    every request needs them (scope, time zone, navigation), so they come in one query, with
    the count of her unread notifications for the bell in the navigation and the counts of
    referrals awaiting her organisation's answer and of her overdue tasks."""

    def get_user(self, user_id):
        try:
            user = (
                User.objects.select_related("membership__organisation")
                .annotate(unread_notifications=unread_count_of_user(), **casework_counts_of_user())
                .get(pk=user_id)
            )
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
