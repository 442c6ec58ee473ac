from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class StatusChangeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 50}),
        help_text=_("Kept with the district and in the audit log."),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Write why; the reason is kept with the district."))
        return reason


class SuspendForm(StatusChangeForm):
    """Suspending signs everyone out: the form says how many and asks to be sure."""

    confirm = forms.BooleanField(
        required=True,
        error_messages={"required": _("Tick the box to confirm: suspending signs everyone out.")},
    )

    def __init__(self, *args, impact, **kwargs):
        super().__init__(*args, **kwargs)
        self.impact = impact
        signed_in = ngettext(
            "%(n)s person is signed in to the district now and will be signed out at once.",
            "%(n)s people are signed in to the district now and will be signed out at once.",
            impact.signed_in,
        ) % {"n": impact.signed_in}
        posted = ngettext(
            "%(n)s person posted there cannot sign in until it is resumed.",
            "%(n)s people posted there cannot sign in until it is resumed.",
            impact.posted,
        ) % {"n": impact.posted}
        self.impact_text = f"{signed_in} {posted}"
        self.fields["confirm"].label = _("I understand: suspend the district and sign these people out.")
