from django import forms
from django.utils.translation import gettext_lazy as _

from state_admin.models import OfficeTemplate
from tenants.models import District, PoliceRange


class OnboardForm(forms.Form):
    name = forms.CharField(label=_("Name (English)"), max_length=100)
    name_hi = forms.CharField(label=_("Name (Hindi)"), max_length=100)
    slug = forms.CharField(
        label=_("Address (subdomain)"),
        max_length=40,
        help_text=_("Lowercase letters, digits and hyphens, e.g. vaishali → vaishali.%(root)s"),
    )
    police_range = forms.ModelChoiceField(
        label=_("Police range"), queryset=PoliceRange.objects.all(), required=False
    )
    new_range = forms.CharField(label=_("…or a new range"), max_length=100, required=False)
    admin_login_id = forms.CharField(
        label=_("First district admin (login ID)"),
        max_length=64,
        help_text=_("An existing account; import officers first if the person has none."),
    )
    template = forms.ModelChoiceField(
        label=_("Office template"),
        queryset=OfficeTemplate.objects.all(),
        required=False,
        empty_label=_("None: only the SP office"),
    )

    def __init__(self, *args, root_domain: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].help_text = self.fields["slug"].help_text % {"root": root_domain}

    def clean_slug(self):
        return self.cleaned_data["slug"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("police_range") and cleaned.get("new_range", "").strip():
            self.add_error("new_range", _("Choose a range or name a new one, not both."))
        return cleaned

    def range_name(self) -> str:
        chosen = self.cleaned_data.get("police_range")
        return chosen.name if chosen else self.cleaned_data.get("new_range", "").strip()


class RangeForm(forms.Form):
    name = forms.CharField(label=_("Name (English)"), max_length=100)
    name_hi = forms.CharField(label=_("Name (Hindi)"), max_length=100, required=False)


class DistrictFilterForm(forms.Form):
    police_range = forms.ModelChoiceField(
        label=_("Range"), queryset=PoliceRange.objects.all(), required=False, empty_label=_("All ranges")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *District.Status.choices], required=False
    )
