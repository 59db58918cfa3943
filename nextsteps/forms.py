"""Form pieces shared by every app."""

import uuid

from django import forms

ONE_TIME_FIELD = "submission_id"


class OneTimeForm(forms.Form):
    """A create form that carries a one-time token: saving it twice (a double click, the back
    button and submit again) makes one record (nextsteps.views.redirect_after_saving)."""

    submission_id = forms.UUIDField(required=False, widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean(self):
        # Kept apart from the cleaned data, which views hand to domain functions as keywords.
        cleaned = super().clean()
        self.submission_token = cleaned.pop(ONE_TIME_FIELD, None)
        return cleaned
