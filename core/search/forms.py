"""The search box and its filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.base.names import name_in_language
from core.models import Case, EFile, Office, Receipt, RtiApplication
from core.models.search import SearchEntry
from core.search.query import MAX_QUERY


def status_choices() -> list[tuple[str, str]]:
    """Every kind's statuses, each value once (a file's "open" and a receipt's "open" are one)."""
    seen: dict[str, str] = {}
    for model in (Receipt, EFile, Case, RtiApplication):
        for value, label in model.Status.choices:
            seen.setdefault(value, label)
    return list(seen.items())


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), max_length=MAX_QUERY, required=False, strip=True)
    kind = forms.ChoiceField(label=_("kind of record"), required=False)
    office = forms.TypedChoiceField(label=_("office"), coerce=int, required=False, empty_value=None)
    date_from = forms.DateField(
        label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("status"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything")), *SearchEntry.Kind.choices]
        offices = Office.objects.order_by("name").only("id", "name", "name_hi")
        self.fields["office"].choices = [
            ("", _("All offices")),
            *((o.pk, name_in_language(o)) for o in offices),
        ]
        self.fields["status"].choices = [("", _("Any status")), *status_choices()]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the date range cannot be before its start."))
        return data

    @property
    def filtered(self) -> bool:
        """Whether a filter narrows the search (then a number does not jump to its record)."""
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("kind", "office", "date_from", "date_to", "status"))


__all__ = ["SearchForm", "status_choices"]
