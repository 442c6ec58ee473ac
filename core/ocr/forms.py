"""Forms of the text page: correcting a page's text, and indexing a page without text by hand.
They check shape only; ``core.ocr.services`` decides (and refuses with form errors)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.ocr.services import CASE_NUMBER_MAX, DATES_MAX, NAMES_MAX, PAGE_TEXT_MAX


class _PageForm(forms.Form):
    page = forms.IntegerField(label=_("page"), min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


class PageCorrectForm(_PageForm):
    text = forms.CharField(
        label=_("Corrected text"),
        max_length=PAGE_TEXT_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 60, "lang": "hi"}),
    )


class PageIndexForm(_PageForm):
    names = forms.CharField(
        label=_("Names"),
        required=False,
        max_length=NAMES_MAX,
        help_text=_("People and places on the page, one or more, in Hindi or English."),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )
    dates = forms.CharField(label=_("Dates"), required=False, max_length=DATES_MAX)
    case_number = forms.CharField(
        label=_("Case number"),
        required=False,
        max_length=CASE_NUMBER_MAX,
        help_text=_("For example: Mahua PS case 123/2025"),
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(name) for name in ("names", "dates", "case_number")):
            raise forms.ValidationError(_("Fill in at least one of names, dates and case number."))
        return cleaned
