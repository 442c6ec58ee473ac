from django import forms
from django.utils.translation import gettext_lazy as _

from state_admin.models import OfficeTemplate
from state_admin.services.onboarding import FirstAdmin
from tenants.models import District, PoliceRange


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
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            ("", _("Districts and range / HQ offices")),
            ("districts", _("Police districts only")),
            ("supervising", _("Range and headquarters offices only")),
        ],
        required=False,
    )


class FirstAdminForm(forms.Form):
    """A district's first admin: an existing account, or a new one made here (shown once with a
    temporary password to be replaced at first sign-in)."""

    admin_login_id = forms.CharField(label=_("An existing account (login ID)"), max_length=64, required=False)
    admin_name = forms.CharField(label=_("Or a new account: name (English)"), max_length=150, required=False)
    admin_name_hi = forms.CharField(
        label=_("Name (Hindi)"), max_length=150, required=False, widget=forms.TextInput(attrs={"lang": "hi"})
    )
    admin_new_login_id = forms.CharField(
        label=_("Login ID"),
        max_length=64,
        required=False,
        help_text=_("Lowercase letters, digits, dots, hyphens or underscores, e.g. ravi.ranjan"),
    )
    admin_mobile = forms.CharField(
        label=_("Mobile"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    admin_email = forms.CharField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("A mobile number or an e-mail address. A temporary password is shown once, after this."),
    )

    NEW_FIELDS = ("admin_name", "admin_name_hi", "admin_new_login_id", "admin_mobile", "admin_email")

    def wants_new_admin(self) -> bool:
        return any(self.cleaned_data.get(name, "").strip() for name in self.NEW_FIELDS)

    def new_admin(self):
        """The account to make (``FirstAdmin``), or None where an existing one is named."""

        if not self.wants_new_admin():
            return None
        data = self.cleaned_data
        return FirstAdmin(
            full_name=data["admin_name"],
            full_name_hi=data["admin_name_hi"],
            login_id=data["admin_new_login_id"],
            mobile=data["admin_mobile"],
            email=data["admin_email"],
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("admin_login_id", "").strip() and self.wants_new_admin():
            self.add_error("admin_login_id", _("Give an existing login ID or a new account, not both."))
        return cleaned


class ProvisionForm(FirstAdminForm):
    """Provision a planned district from its page: the state console knows its names and range;
    the first admin is an existing account or a new one made here."""

    template = forms.ModelChoiceField(
        label=_("Office template"),
        queryset=OfficeTemplate.objects.all(),
        required=False,
        empty_label=_("None: only the SP office"),
    )


class OnboardForm(FirstAdminForm):
    """Onboard a district not planned yet: its names, address and range, and its first admin."""

    field_order = ("name", "name_hi", "slug", "kind", "police_range", "new_range", "supervised", "template")

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
    # A range office or headquarters is a tenant of its own (issue 22.2), made here like a district.
    kind = forms.ChoiceField(
        label=_("Kind"), choices=District.Kind.choices, initial=District.Kind.DISTRICT, required=False
    )
    supervised = forms.ModelMultipleChoiceField(
        label=_("Districts the range office supervises"),
        queryset=District.objects.police_districts().order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "For a range office only: they are put in its range. Headquarters supervises every district."
        ),
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

    def clean_kind(self):
        return self.cleaned_data.get("kind") or District.Kind.DISTRICT

    def supervised_slugs(self) -> tuple[str, ...]:
        return tuple(district.slug for district in self.cleaned_data.get("supervised") or ())

    def range_name(self) -> str:
        chosen = self.cleaned_data.get("police_range")
        return chosen.name if chosen else self.cleaned_data.get("new_range", "").strip()
