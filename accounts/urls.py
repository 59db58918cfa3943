from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("two-factor/", views.two_factor_overview, name="two_factor"),
    path("two-factor/code/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/backup-codes/", views.two_factor_backup_codes, name="two_factor_backup_codes"),
    path("administration/", views.administration_home, name="administration_home"),
    path("administration/members/new/", views.member_add, name="member_add"),
    path("administration/members/<uuid:public_id>/", views.member_detail, name="member_detail"),
    path(
        "administration/members/<uuid:public_id>/end-sessions/",
        views.member_end_sessions,
        name="member_end_sessions",
    ),
    path(
        "administration/members/<uuid:public_id>/deactivate/",
        views.member_deactivate,
        name="member_deactivate",
    ),
    path(
        "administration/members/<uuid:public_id>/reset-two-factor/",
        views.member_reset_two_factor,
        name="member_reset_two_factor",
    ),
    path("data-protection/", views.data_protection_home, name="data_protection_home"),
    path("data-protection/audit-log/", views.audit_log, name="audit_log"),
    path("data-protection/audit-log/export/", views.audit_log_export, name="audit_log_export"),
    path("data-protection/unusual-access/", views.unusual_access, name="unusual_access"),
    path(
        "data-protection/records-of-processing/",
        views.records_of_processing,
        name="records_of_processing",
    ),
]
