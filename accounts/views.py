from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from accounts.decorators import role_permission_required
from accounts.enums import Role
from accounts.forms import EmailAuthenticationForm
from accounts.rules import Permission
from accounts.selectors import members_for

# Where each role starts. A role missing here (or no membership) gets the page that says the
# account has no role yet.
ROLE_HOME = {
    Role.CASEWORKER: "cases:home",
    Role.ORGANISATION_ADMIN: "cases:home",
    Role.ORGANISATION_COORDINATOR: "reports:home",
    Role.PROGRAMME_COORDINATOR: "reports:home",
    Role.DATA_PROTECTION_OFFICER: "accounts:data_protection_home",
    Role.SITE_ADMIN: "accounts:administration_home",
}


@login_required
def home(request):
    home_url = ROLE_HOME.get(request.user.role)
    if home_url is None:
        return render(request, "accounts/no_role.html", status=403)
    return redirect(home_url)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


@role_permission_required(Permission.MANAGE_USERS)
def administration_home(request):
    return render(
        request, "accounts/administration_home.html", {"memberships": members_for(request.user)}
    )


@role_permission_required(Permission.VIEW_AUDIT_LOG)
def data_protection_home(request):
    return render(request, "accounts/data_protection_home.html")
