from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from accounts import views as account_views
from nextsteps.health import health

# The Django admin (reference data, for site admins) goes through the app's own login, with its
# throttling, instead of a second login form.
admin.site.login = login_required(admin.site.login)

urlpatterns = [
    path("", account_views.home, name="home"),
    path("health/", health, name="health"),
    path("accounts/", include("accounts.urls")),
    path("cases/", include("cases.urls")),
    path("plan/", include("pillars.urls")),
    path("reports/", include("reports.urls")),
    path("import/", include("imports.urls")),
    path("notifications/", include("notifications.urls")),
    path("documents/", include("documents.urls")),
    path("exports/", include("exports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
