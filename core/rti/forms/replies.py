"""Forms of the RTI replies and the monthly register: they check the shape of input; the services
decide who may reply and whether the reply holds (``core.rti.services.replies``)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Document, RtiReply
from core.rti.services.replies import (
    APPEAL_DAYS,
    APPEAL_DAYS_MAX,
    AUTHORITY_MAX,
    BODY_MAX,
    REJECTION_SECTIONS,
)


class ReplyForm(forms.Form):
    kind = forms.ChoiceField(label=_("reply"), choices=RtiReply.Kind.choices, widget=forms.RadioSelect)
    language = forms.ChoiceField(label=_("language of the letter"), choices=settings.LANGUAGES)
    replied_on = forms.DateField(
        label=_("date of the reply"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    body = forms.CharField(
        label=_("letter"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What the letter says, after the address and the subject (filled in for you)."),
    )
    documents = forms.TypedMultipleChoiceField(
        label=_("documents disclosed"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each is added to the reply's PDF (latest version) and to the zip of originals."),
    )
    rejection_section = forms.ChoiceField(
        label=_("section relied on (for a rejection)"),
        choices=[("", _("— not a rejection —")), *REJECTION_SECTIONS],
        required=False,
    )
    appeal_authority = forms.CharField(
        label=_("first appellate authority"),
        max_length=AUTHORITY_MAX,
        required=False,
        help_text=_('Name, post and address, e.g. "Superintendent of Police, Vaishali, Hajipur".'),
    )
    appeal_days = forms.IntegerField(
        label=_("days to appeal"), initial=APPEAL_DAYS, min_value=APPEAL_DAYS, max_value=APPEAL_DAYS_MAX
    )

    def __init__(self, *args, document_choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = document_choices
        self.fields["replied_on"].initial = timezone.localdate()
        self.fields["kind"].initial = RtiReply.Kind.INFORMATION

    def clean_documents(self):
        ids = self.cleaned_data.get("documents") or []
        return list(Document.objects.filter(pk__in=ids).order_by("id"))
