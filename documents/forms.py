from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cases.forms import CaseworkForm
from documents.enums import DocumentKind
from nextsteps.choice_fields import RecordMultipleChoiceField


class DocumentForm(CaseworkForm, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A PDF, an image or an Office document, at most %(limit)d MB. It is stored "
            "encrypted; every download is logged."
        ) % {"limit": settings.DOCUMENT_MAX_MEGABYTES}
        self._set_up_helper()


class ShareDocumentsForm(CaseworkForm, forms.Form):
    documents = RecordMultipleChoiceField(
        label=_("Documents the partner sees on this referral"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, shareable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = shareable
        self.fields["documents"].label_from_instance = lambda document: (
            f"{document.get_kind_display()} · {document.title}"
        )
        self._set_up_helper()
