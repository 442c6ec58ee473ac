"""The filters of the pendency report. Every field may be left out (the defaults: today, all the
viewer's thanas, the pending cases, 30 days); a value given wrong is a form error, never a 500."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.cases.selectors.pendency import (
    STALE_DAYS_DEFAULT,
    STATUS_CHOICE_ALL,
    STATUS_CHOICE_PENDING,
    PendencyFilters,
)
from core.cases.services.register import FIRST_YEAR
from core.models import Case, Office

DAYS_MAX = 3650


class PendencyForm(forms.Form):
    as_on = forms.DateField(
        label=_("as on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    thana = forms.TypedChoiceField(label=_("thana"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("status"), required=False)
    days = forms.IntegerField(
        label=_("no progress report for more than (days)"), required=False, min_value=0, max_value=DAYS_MAX
    )

    def __init__(self, data=None, *, thana_choices: list, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["thana"].choices = [("", _("All thanas")), *thana_choices]
        self.fields["status"].choices = [
            (STATUS_CHOICE_PENDING, _("Pending (registered or under investigation)")),
            (STATUS_CHOICE_ALL, _("Any status")),
            *Case.Status.choices,
        ]

    @classmethod
    def from_query(cls, query, *, thana_choices: list) -> PendencyForm:
        """The form bound to the page's query string, with the defaults where a filter is left
        out or blank (so they show in the form too)."""
        data = {name: query.get(name, "") for name in cls.base_fields}
        defaults = {
            "as_on": timezone.localdate().isoformat(),
            "status": STATUS_CHOICE_PENDING,
            "days": str(STALE_DAYS_DEFAULT),
        }
        for name, value in defaults.items():
            if not str(data[name]).strip():
                data[name] = value
        return cls(data, thana_choices=thana_choices)

    def clean_as_on(self) -> datetime.date:
        as_on = self.cleaned_data.get("as_on") or timezone.localdate()
        if as_on > timezone.localdate():
            raise forms.ValidationError(_("The as-on date cannot be in the future."))
        if as_on.year < FIRST_YEAR:
            raise forms.ValidationError(_("Give a date from the year %(year)d on.") % {"year": FIRST_YEAR})
        return as_on

    def clean_thana(self) -> Office | None:
        thana_id = self.cleaned_data.get("thana")
        return Office.objects.get(pk=thana_id) if thana_id is not None else None

    def clean_status(self) -> str:
        return self.cleaned_data.get("status") or STATUS_CHOICE_PENDING

    def clean_days(self) -> int:
        days = self.cleaned_data.get("days")
        return STALE_DAYS_DEFAULT if days is None else days

    def filters(self) -> PendencyFilters:
        """The cleaned filters (call after ``is_valid``)."""
        data = self.cleaned_data
        return PendencyFilters(
            as_on=data["as_on"], thana=data["thana"], status_choice=data["status"], days=data["days"]
        )


__all__ = ["DAYS_MAX", "PendencyForm"]
