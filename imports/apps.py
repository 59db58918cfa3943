from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Spreadsheet import: an organisation's records from its old spreadsheets, through the
    domain functions of cases and pillars."""

    name = "imports"
    verbose_name = "Spreadsheet import"
