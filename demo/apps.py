from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The fictional Next Steps demo (`load_demo`): no app imports it, it imports the apps."""

    name = "demo"
