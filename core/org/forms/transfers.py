"""Forms of the transfers screen (``core.org.views.transfers``): the date a confirmed move takes
effect, a reason to decline. A console subclasses the confirmation to say, in its own words, what
the date does (``moved_on_help``)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A move is decided for today or a date within a year; further is a typing slip.
LATEST_DAYS = 365


class TransferConfirmForm(forms.Form):
    moved_on_help = ""

    moved_on = forms.DateField(
        label=_("Date of the move"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["moved_on"].help_text = self.moved_on_help

    def clean_moved_on(self):
        value = self.cleaned_data["moved_on"]
        today = timezone.localdate()
        if value < today or value > today + datetime.timedelta(days=LATEST_DAYS):
            raise forms.ValidationError(_("Give a date from today to a year from today."))
        return value


class TransferDeclineForm(forms.Form):
    remarks = forms.CharField(label=_("Reason (optional)"), max_length=500, required=False)
