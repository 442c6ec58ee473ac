from django import forms
from django.utils.translation import gettext_lazy as _


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
