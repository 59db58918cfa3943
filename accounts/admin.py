from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDevice

from accounts.enums import AuditAction
from accounts.models import AuthenticatorDevice, BackupCodeDevice, Membership, Organisation, User
from accounts.services import end_all_sessions, record_audit
from accounts.two_factor import reset_two_factor


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "country", "city", "code_prefix"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False


class PasswordSetByAdminForm(AdminPasswordChangeForm):
    """A password the site admin types for someone: she must change it at her next login."""

    def save(self, commit=True):
        self.user.must_change_password = True
        return super().save(commit=commit)


def _changed_fields(message) -> str:
    """The field names in the admin's change message (a list of {"changed": {...}} entries)."""
    names = []
    for entry in message if isinstance(message, list) else []:
        for kind, change in entry.items():
            label = change.get("name", "")
            fields = ", ".join(change.get("fields", []))
            names.append(" ".join(part for part in (kind, label, fields) if part))
    return "; ".join(names) or "no field changed"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """The site admin's emergency tool. Every addition and change (a role granted or changed
    through the membership below, a password set) writes an audit row besides the admin
    site's own history."""

    inlines = [MembershipInline]
    change_password_form = PasswordSetByAdminForm
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

    def save_model(self, request, obj, form, change):
        if not change:
            # The password of a user added here was typed by the site admin.
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    def log_addition(self, request, obj, message):
        super().log_addition(request, obj, message)
        record_audit(AuditAction.CREATE, obj, by=request.user, detail=self._audit_detail(obj))

    def log_change(self, request, obj, message):
        super().log_change(request, obj, message)
        detail = f"{self._audit_detail(obj)}; {_changed_fields(message)}"
        record_audit(AuditAction.UPDATE, obj, by=request.user, detail=detail)

    @staticmethod
    def _audit_detail(user) -> str:
        membership = Membership.objects.filter(user=user).select_related("organisation").first()
        if membership is None:
            return "admin site; no role"
        where = membership.organisation.slug if membership.organisation else "partnership"
        return f"admin site; role {membership.role} in {where}"

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


# django-otp's device tables stay installed for their migration history but are no longer used
# (accounts.migrations.0009 moved their rows into the encrypted devices): their admin pages,
# which could add a device with a secret in clear, are removed.
for clear_device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(clear_device_model):
        admin.site.unregister(clear_device_model)


@admin.register(AuthenticatorDevice, BackupCodeDevice)
class TwoFactorDeviceAdmin(admin.ModelAdmin):
    """Who has which second factor and when it was last used; never the secret. Devices are
    set up by their user and removed by the audited reset (the action on Users)."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__email"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
