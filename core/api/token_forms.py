"""The form that makes a personal access token (both hosts' pages)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.api_tokens import DAYS_MAX, NAME_MAX
from tenants.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=NAME_MAX, help_text=_("What the token is for, e.g. the scanner station.")
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ)
    days = forms.IntegerField(
        label=_("Lasts (days)"), min_value=1, max_value=DAYS_MAX, initial=30, help_text=_("At most 90 days.")
    )


class TokenTotpForm(TokenForm):
    """Platform staff confirm with a code from their authenticator app."""

    code = forms.CharField(label=_("Authenticator code"), max_length=8)
