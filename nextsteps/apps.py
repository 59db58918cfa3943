from django.apps import AppConfig


class NextStepsConfig(AppConfig):
    """The project package is an app too, for its template tags and management commands."""

    name = "nextsteps"
    verbose_name = "Next Steps"
