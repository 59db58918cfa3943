from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PillarsConfig(AppConfig):
    name = "pillars"

    def ready(self):
        from pillars.data_version import install_triggers

        # After every migrate: the triggers that keep the figure cache honest (data_version).
        post_migrate.connect(install_triggers, sender=self, dispatch_uid="pillars_data_version")
