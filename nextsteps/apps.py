from django.apps import AppConfig


class NextStepsConfig(AppConfig):
    """The project package is an app too, for its template tags, management commands and
    system checks."""

    name = "nextsteps"
    verbose_name = "Next Steps"

    def ready(self):
        from nextsteps import checks  # noqa: F401  (registers the deploy checks)
