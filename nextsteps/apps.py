from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NextStepsConfig(AppConfig):
    """The project package is an app too, for its template tags, management commands and
    system checks."""

    name = "nextsteps"
    verbose_name = "Next Steps"

    def ready(self):
        from nextsteps import checks  # noqa: F401  (registers the deploy checks)

        post_migrate.connect(_write_the_encryption_canary, sender=self)


def _write_the_encryption_canary(sender, using, **kwargs):
    from nextsteps.health import ensure_encryption_canary

    ensure_encryption_canary(using=using)
