"""Forms of the offices screens: they check shape; the rules are the services' (core.org.services)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Office
from core.org.selectors.offices import office_parent_choices

EDITABLE_STATUSES = [
    (Office.Status.PLANNED.value, Office.Status.PLANNED.label),
    (Office.Status.PREPARING.value, Office.Status.PREPARING.label),
]


def office_label(office: Office) -> str:
    return f"{office.name} · {office.name_hi}" if office.name_hi else office.name


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Office) -> str:
        return f"{office_label(obj)} ({obj.get_kind_display()})"


class OfficeEditForm(forms.Form):
    name = forms.CharField(label=_("name (English)"), max_length=150)
    name_hi = forms.CharField(label=_("name (Hindi)"), max_length=150, required=False)
    abbr = forms.CharField(
        label=_("short code"),
        max_length=12,
        required=False,
        help_text=_("Letters that begin the office's diary and file numbers, e.g. SPVAI."),
    )
    kind = forms.ChoiceField(label=_("type"), choices=Office.Kind.choices)
    address = forms.CharField(label=_("address"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    phase = forms.IntegerField(label=_("rollout phase"), min_value=1, max_value=9, initial=1)
    status = forms.ChoiceField(label=_("status"), choices=EDITABLE_STATUSES, initial=Office.Status.PLANNED)
    go_live_target = forms.DateField(
        label=_("planned go-live date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, office: Office | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if office is not None and office.status not in dict(EDITABLE_STATUSES):
            # Live and closed offices keep their status here; their own screens change it.
            self.fields["status"].choices = [(office.status, office.get_status_display())]


class OfficeCreateForm(OfficeEditForm):
    code = forms.SlugField(
        label=_("code"),
        max_length=40,
        help_text=_("Lower-case letters, digits and hyphens, e.g. thana-mahua."),
    )
    parent = ParentChoiceField(label=_("parent office"), queryset=Office.objects.none(), required=False)
    field_order = ["code", "name", "name_hi", "abbr", "kind", "parent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = office_parent_choices()


class OfficeMoveForm(forms.Form):
    parent = ParentChoiceField(
        label=_("new parent office"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("(none: at the top of the district)"),
    )

    def __init__(self, *args, office: Office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = office_parent_choices(office=office)


class OfficeCloseForm(forms.Form):
    closed_on = forms.DateField(
        label=_("closed on"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    close_reason = forms.CharField(label=_("reason for closing"), widget=forms.Textarea(attrs={"rows": 3}))
