"""The month picker of the monthly register report."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.rti.services.applications import ACT_IN_FORCE


class MonthForm(forms.Form):
    """The month picker of the register report: ``2025-03``."""

    month = forms.CharField(
        label=_("month"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2025-03"}),
    )

    def clean_month(self) -> tuple[int, int]:
        value = self.cleaned_data["month"].strip()
        try:
            day = datetime.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(_("Give a month as year and month, e.g. 2025-03.")) from None
        if not month_allowed(day.year, day.month):
            raise forms.ValidationError(
                _("Choose a month from October 2005 (when the Act came into force) to this month.")
            )
        return day.year, day.month


def month_allowed(year: int, month: int) -> bool:
    """A month of the register: from the Act's coming into force to this month."""
    if not 1 <= month <= 12:
        return False
    today = timezone.localdate()
    return (ACT_IN_FORCE.year, ACT_IN_FORCE.month) <= (year, month) <= (today.year, today.month)
