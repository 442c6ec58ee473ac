from django import forms
from django.utils.translation import gettext_lazy as _

from core.base.audit.filters import AuditFilterBase


class AuditFilterForm(AuditFilterBase):
    person = forms.CharField(label=_("Login ID"), max_length=64, required=False)

    field_order = ["action", "person", "since", "until"]
