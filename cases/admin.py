from django.contrib import admin

from cases.models import ServiceType


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    """A managed list, changed rarely by the site admin; nothing in it is personal data."""

    list_display = ["name", "code", "default_unit", "order", "is_active"]
    list_editable = ["order", "is_active"]
    prepopulated_fields = {"code": ["name"]}
