from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, Organisation, User
from accounts.services import end_all_sessions
from accounts.two_factor import reset_two_factor


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "country", "city", "code_prefix"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    ordering = ["email"]
    list_display = ["email", "display_name", "is_active", "is_staff"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "display_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal = []
    list_filter = ["is_active", "is_staff", "membership__role"]
    actions = ["end_sessions", "reset_second_factor"]

    @admin.action(description=_("End all sessions of the selected users"))
    def end_sessions(self, request, users):
        for user in users:
            end_all_sessions(user, by=request.user)
        self.message_user(request, _("Sessions ended."))

    @admin.action(description=_("Reset two-factor login of the selected users"))
    def reset_second_factor(self, request, users):
        for user in users:
            reset_two_factor(user, by=request.user)
        self.message_user(request, _("Two-factor login reset; sessions ended."))
