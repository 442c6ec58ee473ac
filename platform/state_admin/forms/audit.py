from django import forms
from django.utils.translation import gettext_lazy as _

from core.base.audit.filters import AuditFilterBase


class AuditFilterForm(AuditFilterBase):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    district = forms.SlugField(label=_("District"), max_length=40, required=False)
    actor = forms.CharField(label=_("Login ID"), max_length=64, required=False)

    field_order = ["q", "district", "action", "actor", "since", "until"]

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
