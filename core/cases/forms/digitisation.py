"""Forms of old-case digitisation: they check the shape of input; the services in
``core.cases.services.digitisation.actions`` decide who may do what."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.cases.services.digitisation.actions import REMARKS_MAX, TARGET_MAX


class BatchUploadForm(forms.Form):
    zip = forms.FileField(
        label=_("Zip file of scans"),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    manifest = forms.FileField(
        label=_("Manifest (CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class TargetForm(forms.Form):
    thana = forms.TypedChoiceField(label=_("thana"), coerce=int)
    target = forms.IntegerField(label=_("old cases to digitise"), min_value=1, max_value=TARGET_MAX)

    def __init__(self, *args, thana_choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thana"].choices = thana_choices


class DecideForm(forms.Form):
    """Checked, sent back (with a remark), or digitised again after new papers were uploaded."""

    CHECK, SEND_BACK, MARK = "check", "send_back", "mark"

    decision = forms.ChoiceField(
        choices=[(CHECK, _("Checked")), (SEND_BACK, _("Send back")), (MARK, _("Digitised again"))]
    )
    remarks = forms.CharField(
        label=_("remarks"),
        max_length=REMARKS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
