from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _periods_after_migrating(sender, using="default", **kwargs):
    from pillars.services import ensure_periods_of_every_programme

    ensure_periods_of_every_programme()


class PillarsConfig(AppConfig):
    name = "pillars"

    def ready(self):
        from pillars.data_version import install_triggers
        from pillars.facts import install_fact_triggers

        # After every migrate: the triggers that keep the figure cache honest (data_version).
        post_migrate.connect(install_triggers, sender=self, dispatch_uid="pillars_data_version")
        # ... and those that keep the summary facts in step with the rows (pillars.facts).
        post_migrate.connect(install_fact_triggers, sender=self, dispatch_uid="pillars_facts")
        # ... and the periods of every programme (pillars.services.ensure_periods).
        post_migrate.connect(_periods_after_migrating, sender=self, dispatch_uid="pillars_periods")
