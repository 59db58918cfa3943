from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _periods_after_migrating(sender, using="default", **kwargs):
    from pillars.services import ensure_periods_of_every_programme

    ensure_periods_of_every_programme()


class PillarsConfig(AppConfig):
    name = "pillars"

    def ready(self):
        post_migrate.connect(_periods_after_migrating, sender=self)
