"""The filters both audit pages share (a district's trail, the state's log): an action, a date
range whose end may not come before its start. Each console's form adds its own fields (the login
ID's parameter name, the state's search and district) and their order."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AuditFilterBase(forms.Form):
    action = forms.CharField(label=_("Action"), max_length=60, required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("since") and cleaned.get("until") and cleaned["since"] > cleaned["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned
