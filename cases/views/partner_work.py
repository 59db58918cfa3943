"""What a partner organisation records of its own work on a referral it accepted."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from cases import services
from cases.forms import OutcomeForm
from cases.selectors import shared_profile_for
from cases.views.common import referral_or_404, referral_url
from cases.views.referrals import render_referral
from nextsteps.views import redirect_after_saving


@login_required
def referral_outcome(request, public_id):
    """The receiving organisation records the outcome of its own work against the referral
    while it has access; the outcome counts for it and the sender sees it on the referral. An
    invalid form comes back on the referral's page (400)."""
    referral = referral_or_404(request, public_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if shared_profile_for(request.user, referral) is None:
        messages.error(request, _("This referral gives your organisation no access to the person."))
        return redirect(referral_url(referral))
    form = OutcomeForm(request.POST)

    def save(form):
        data = form.cleaned_data
        services.record_outcome(
            referral.beneficiary,
            kind=data["kind"],
            on=data["date"],
            note=data["note"],
            referral=referral,
            by=request.user,
        )
        return referral_url(referral)

    if done := redirect_after_saving(request, form, save, success=_("Outcome recorded.")):
        return done
    return render_referral(request, referral, outcome_form=form)
