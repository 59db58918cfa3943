from django import forms


class DateInput(forms.DateInput):
    """The browser's own date picker (phones show theirs), which sends ISO dates whatever the
    language of the page."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")
