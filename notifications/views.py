"""The bell's pages: a member's own notifications, opening one (which marks it read), marking
all read, and the choice of e-mail. A notification of anyone else answers 404 like a missing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from nextsteps.views import form_page
from notifications import services
from notifications.forms import PreferenceForm
from notifications.selectors import notifications_for, wants_email

NOTIFICATIONS_PER_PAGE = 25


@login_required
def notification_list(request):
    page = Paginator(notifications_for(request.user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@login_required
def notification_open(request, public_id):
    """Mark the notification read and go to the page it is about."""
    notification = get_object_or_404(notifications_for(request.user), public_id=public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.mark_read(notification, by=request.user)
    # The link was made by the app; checked anyway, so a row can never send anyone off-site.
    if not url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect("notifications:list")
    return redirect(notification.link)


@login_required
def notification_mark_all_read(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.mark_all_read(by=request.user)
    messages.success(request, _("All notifications marked as read."))
    return redirect("notifications:list")


@login_required
def preferences(request):
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={"by_email": wants_email(request.user)},
    )

    def save(form):
        services.set_email_preference(
            request.user, by_email=form.cleaned_data["by_email"], by=request.user
        )
        return reverse("notifications:list")

    return form_page(
        request,
        form,
        save,
        template="cases/form_page.html",
        success=_("Your choice is saved."),
        context={
            "title": _("Notifications by e-mail"),
            "submit": _("Save"),
            "cancel_url": reverse("notifications:list"),
        },
    )
