from django.apps import AppConfig


class PillarsConfig(AppConfig):
    name = "pillars"
