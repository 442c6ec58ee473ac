from django import forms
from django.utils.translation import gettext_lazy as _


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    district = forms.SlugField(label=_("District"), max_length=40, required=False)
    action = forms.CharField(label=_("Action"), max_length=60, required=False)
    actor = forms.CharField(label=_("Login ID"), max_length=64, required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("since") and cleaned.get("until") and cleaned["since"] > cleaned["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned

    def selector_args(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data["q"].strip(),
            "district_slug": data["district"],
            "action": data["action"].strip(),
            "actor_login": data["actor"].strip(),
            "since": data["since"],
            "until": data["until"],
        }
