from datetime import timedelta

from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as remember_second_factor

from accounts import services, throttling, two_factor
from accounts.audit_export import audit_csv_lines
from accounts.decorators import role_permission_required
from accounts.enums import AuditAction, Role
from accounts.filters import AuditEventFilter, start_of_day
from accounts.forms import (
    CodeForm,
    ConfirmIdentityForm,
    EmailAuthenticationForm,
    MemberForm,
    ReviewPeriodForm,
)
from accounts.rules import Permission
from accounts.selectors import audit_events_for, members_for, members_with_two_factor_for
from accounts.services import end_all_sessions, raise_session_generation, record_audit
from accounts.unusual_access import access_bursts, out_of_hours_access
from exports.enums import ExportKind
from exports.services import needs_a_job_for, request_export
from nextsteps.pagination import BoundedCountPaginator
from nextsteps.records_of_processing import NO_PERSONAL_DATA, register
from nextsteps.views import redirect_after_saving, render_form

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
AUDIT_LOG_PAGE_SIZE = 50
# Beyond this the viewer says "more than": a count of millions of rows on every page would cost
# more than the page itself and mean less than a filter (issue 14).
AUDIT_LOG_COUNTED_UP_TO = 10_000
NEW_BACKUP_CODES_SESSION_KEY = "two_factor_new_backup_codes"
FIRST_PASSWORD_SESSION_KEY = "accounts_first_password"  # noqa: S105 - a session key
IDENTITY_CONFIRMED_SESSION_KEY = "two_factor_identity_confirmed_at"
IDENTITY_FAILURES_SESSION_KEY = "two_factor_identity_failures"
IDENTITY_FAILURES_BEFORE_LOGOUT = 5
# Time between confirming the password and code and scanning the new phone's QR code.
IDENTITY_CONFIRMATION_VALID = timedelta(minutes=10)


@login_required
def home(request):
    home_url = ROLE_HOME.get(request.user.role)
    if home_url is None:
        return render(request, "accounts/no_role.html", status=403)
    return redirect(home_url)


# ---------------------------------------------------------------------------------------------
# Login, logout, password
# ---------------------------------------------------------------------------------------------
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        typed = request.POST.get("username", "")
        if typed and throttling.daily_limit_reached(typed):
            # The same pause page as django-axes', for an address with or without an account.
            return get_lockout_response(request, credentials={"username": typed})
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    """Logging out ends the user's sessions on every device, not only this one: a caseworker
    who forgot to log out on the office computer ends that session from her phone. A session
    still waiting for its second factor ends only itself: the password alone must not let
    anyone log the user out everywhere, again and again."""

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            if _fully_logged_in(request.user):
                raise_session_generation(request.user)
            response = super().post(request, *args, **kwargs)
        # The browser drops what it kept of the session: cached pages, cookies, storage (on a
        # shared office computer the next user must find nothing).
        response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response


def _fully_logged_in(user):
    return user.is_authenticated and (user.is_verified() or not settings.REQUIRE_TWO_FACTOR)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Changing the password keeps this session (and its second factor) and ends every other
    session of the user (the password is part of the session hash)."""

    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            services.password_changed_by_owner(self.request.user, how="changed password")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """A forgotten password, reset by a link sent by e-mail. The page says the same whether or
    not the address has an account (Django sends mail only to active accounts). The reset
    sets a password and logs no one in: the next login still asks for the second factor."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            services.password_changed_by_owner(form.user, how="reset password by e-mail")
        return response


# ---------------------------------------------------------------------------------------------
# Two-factor login
# ---------------------------------------------------------------------------------------------
@login_required
def two_factor_verify(request):
    """The code prompt between the password and the app."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not two_factor.has_authenticator(request.user):
        return _redirect_keeping_next(request, "accounts:two_factor_setup")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = two_factor.verify_second_factor(request.user, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            _complete_second_factor(request, device)
            return redirect(_next_url(request))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@login_required
def two_factor_setup(request):
    """Enrolment: a QR code for the authenticator app, then its first code to confirm."""
    user = request.user
    if two_factor.has_authenticator(user) and not user.is_verified():
        # Adding a device on the strength of the password alone would skip the second factor.
        return _redirect_keeping_next(request, "accounts:two_factor_verify")
    if two_factor.has_authenticator(user) and not _identity_recently_confirmed(request):
        return _confirm_identity(request, replacing=True)
    device = two_factor.pending_authenticator(user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            codes = two_factor.confirm_authenticator(device, form.cleaned_data["code"], by=user)
        except ValidationError as error:
            form.add_error("code", error)
        else:
            _complete_second_factor(request, device)
            request.session.pop(IDENTITY_CONFIRMED_SESSION_KEY, None)
            request.session[NEW_BACKUP_CODES_SESSION_KEY] = codes
            return _redirect_keeping_next(request, "accounts:two_factor_backup_codes")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": two_factor.authenticator_qr_svg(device),
            "secret": two_factor.authenticator_secret(device),
            "replacing": two_factor.has_authenticator(user),
            "next": _next_url(request),
        },
    )


@login_required
def two_factor_backup_codes(request):
    """New backup codes, made after the password and a current code, and shown once on the
    page after they were made (also right after enrolment)."""
    codes = None
    if request.method == "GET":
        codes = request.session.pop(NEW_BACKUP_CODES_SESSION_KEY, None)
    if codes is not None:
        return render(
            request,
            "accounts/two_factor_backup_codes.html",
            {"codes": codes, "next": _next_url(request)},
        )
    if not two_factor.has_authenticator(request.user):
        return redirect("accounts:two_factor")
    return _confirm_identity(request, replacing=False)


def _confirm_identity(request, *, replacing):
    """The password and a current code, asked before the second factor changes in an open
    session. Confirmed, it leads to the new authenticator's QR code (``replacing``) or makes
    new backup codes. Wrong answers end the session after a few tries: whoever sits at a
    session left open must not guess the password at leisure."""
    posted = request.method == "POST" and "confirm_identity" in request.POST
    form = ConfirmIdentityForm(request.POST if posted else None, user=request.user)
    if posted and form.is_valid():
        request.session.pop(IDENTITY_FAILURES_SESSION_KEY, None)
        if replacing:
            request.session[IDENTITY_CONFIRMED_SESSION_KEY] = timezone.now().timestamp()
            return _redirect_keeping_next(request, "accounts:two_factor_setup")
        codes = two_factor.new_backup_codes(request.user, by=request.user)
        request.session[NEW_BACKUP_CODES_SESSION_KEY] = codes
        return redirect("accounts:two_factor_backup_codes")
    if posted:
        failures = request.session.get(IDENTITY_FAILURES_SESSION_KEY, 0) + 1
        request.session[IDENTITY_FAILURES_SESSION_KEY] = failures
        if failures >= IDENTITY_FAILURES_BEFORE_LOGOUT:
            logout(request)
            messages.warning(request, _("Too many wrong answers: please log in again."))
            return redirect(settings.LOGIN_URL)
    return render_form(
        request,
        "accounts/two_factor_confirm_identity.html",
        {"form": form, "replacing": replacing, "next": _next_url(request)},
    )


def _identity_recently_confirmed(request):
    confirmed_at = request.session.get(IDENTITY_CONFIRMED_SESSION_KEY)
    if confirmed_at is None:
        return False
    return timezone.now().timestamp() - confirmed_at < IDENTITY_CONFIRMATION_VALID.total_seconds()


@login_required
def two_factor_overview(request):
    return render(
        request,
        "accounts/two_factor_overview.html",
        {
            "status": two_factor.two_factor_status(request.user),
            "two_factor_required": settings.REQUIRE_TWO_FACTOR,
        },
    )


def _complete_second_factor(request, device):
    remember_second_factor(request, device)
    # A new session id for the newly trusted session, as at login.
    request.session.cycle_key()


def _next_url(request):
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _redirect_keeping_next(request, url_name):
    return auth_views.redirect_to_login(_next_url(request), reverse(url_name))


# ---------------------------------------------------------------------------------------------
# Administration: members, their sessions and second factor
# ---------------------------------------------------------------------------------------------
@role_permission_required(Permission.MANAGE_USERS)
def administration_home(request):
    return render(
        request,
        "accounts/administration_home.html",
        {"memberships": members_with_two_factor_for(request.user)},
    )


# The member pages find the member among those the user may manage before anything else: any
# other member, of another organisation or none, is the same 404 for every role.
@login_required
def member_detail(request, public_id):
    membership = _managed_membership(request, public_id)
    # The first password of a member just added, shown once, to the admin who added her.
    first_passwords = request.session.pop(FIRST_PASSWORD_SESSION_KEY, {})
    return render(
        request,
        "accounts/member_detail.html",
        {
            "membership": membership,
            "status": two_factor.two_factor_status(membership.user),
            "first_password": first_passwords.get(str(public_id)),
        },
    )


@login_required
def member_end_sessions(request, public_id):
    membership = _managed_membership(request, public_id)
    return _member_action(request, membership, end_all_sessions, _("All sessions of %s ended."))


@login_required
def member_reset_two_factor(request, public_id):
    membership = _managed_membership(request, public_id)
    return _member_action(
        request,
        membership,
        two_factor.reset_two_factor,
        _("Two-factor login of %s reset: a new authenticator is set up at the next login."),
    )


@role_permission_required(Permission.MANAGE_USERS)
def member_add(request):
    """An organisation admin adds a member to her organisation. The first password is made
    here and shown once, on the member's page; the site admin adds partnership-wide members in
    the admin site."""
    organisation = request.user.organisation
    if organisation is None:
        raise PermissionDenied("partnership-wide members are added in the admin site")
    form = MemberForm(request.POST or None)

    def save(form):
        user, password = services.add_member(organisation, by=request.user, **form.cleaned_data)
        request.session[FIRST_PASSWORD_SESSION_KEY] = {str(user.public_id): password}
        return reverse("accounts:member_detail", kwargs={"public_id": user.public_id})

    saved = redirect_after_saving(
        request, form, save, success=_("Member added. Give them the first password below.")
    )
    return saved or render_form(request, "accounts/member_add.html", {"form": form})


@login_required
def member_deactivate(request, public_id):
    membership = _managed_membership(request, public_id)
    return _member_action(
        request, membership, services.deactivate_member, _("%s can no longer log in.")
    )


def _managed_membership(request, public_id):
    return get_object_or_404(members_for(request.user), user__public_id=public_id)


@require_POST
def _member_action(request, membership, action, message):
    try:
        action(membership.user, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message % membership.user.email)
    return redirect("accounts:member_detail", public_id=membership.user.public_id)


# ---------------------------------------------------------------------------------------------
# Data protection officer
# ---------------------------------------------------------------------------------------------
@role_permission_required(Permission.VIEW_AUDIT_LOG)
def data_protection_home(request):
    return render(request, "accounts/data_protection_home.html")


@role_permission_required(Permission.VIEW_AUDIT_LOG)
def audit_log(request):
    events = AuditEventFilter(request.GET, queryset=audit_events_for(request.user))
    page = BoundedCountPaginator(
        events.qs, AUDIT_LOG_PAGE_SIZE, count_up_to=AUDIT_LOG_COUNTED_UP_TO
    ).get_page(request.GET.get("page"))
    return render(request, "accounts/audit_log.html", {"filter": events, "page": page})


@require_POST
@role_permission_required(Permission.VIEW_AUDIT_LOG)
def audit_log_export(request):
    """The filtered audit log as CSV. The export is itself audited, before the first row. A log
    longer than EXPORT_JOB_THRESHOLD rows is written by a background job instead: the officer
    is sent to its page, which follows it and then offers the file."""
    events = AuditEventFilter(request.GET, queryset=audit_events_for(request.user))
    if not events.is_valid():
        # Back to the page that shows what is wrong, rather than a file ignoring a filter.
        return redirect(f"{reverse('accounts:audit_log')}?{request.GET.urlencode()}")
    if needs_a_job_for(events.qs):
        job = request_export(
            ExportKind.AUDIT_LOG,
            by=request.user,
            parameters={
                "query": request.GET.urlencode(),
                "summary": events.summary(),
                "language": get_language(),
            },
            total=0,  # counted by the job, off the request
        )
        messages.success(request, _("The file is being prepared."))
        return redirect("exports:job", public_id=job.public_id)
    record_audit(AuditAction.EXPORT, by=request.user, detail=f"audit log CSV; {events.summary()}")
    response = StreamingHttpResponse(audit_csv_lines(events.qs), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response


@role_permission_required(Permission.VIEW_AUDIT_LOG)
def unusual_access(request):
    form = ReviewPeriodForm(request.GET)
    context = {"form": form}
    if form.is_valid():
        start = start_of_day(form.cleaned_data["date_from"])
        end = start_of_day(form.cleaned_data["date_until"] + timedelta(days=1))
        events = audit_events_for(request.user)
        context.update(
            date_from=form.cleaned_data["date_from"],
            date_until=form.cleaned_data["date_until"],
            bursts=access_bursts(events, start=start, end=end),
            out_of_hours=out_of_hours_access(events, start=start, end=end),
            records_threshold=settings.UNUSUAL_ACCESS_RECORDS,
            window_minutes=int(settings.UNUSUAL_ACCESS_WINDOW.total_seconds() // 60),
            working_hours=settings.WORKING_HOURS,
        )
    return render(request, "accounts/unusual_access.html", context)


@role_permission_required(Permission.VIEW_AUDIT_LOG)
def records_of_processing(request):
    return render(
        request,
        "accounts/records_of_processing.html",
        {"entries": register(), "not_personal": sorted(NO_PERSONAL_DATA.items())},
    )
