from django.contrib.auth.backends import ModelBackend

from accounts.models import User
from notifications.selectors import unread_count_of_user


class EmailBackend(ModelBackend):
    """Django's model backend, loading the user's membership and organisation with the user:
    every request needs them (scope, time zone, navigation), so they come in one query, with
    the count of her unread notifications for the bell in the navigation."""

    def get_user(self, user_id):
        try:
            user = (
                User.objects.select_related("membership__organisation")
                .annotate(unread_notifications=unread_count_of_user())
                .get(pk=user_id)
            )
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
