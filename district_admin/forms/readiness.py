"""Forms of the readiness checklist: one per item (field names are the details' keys), and go-live.

Forms check shape only; the item rules (when an item is done, ranges) live in core.org.services.readiness.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import ReadinessItem
from core.org.selectors.readiness import INTERNET_TYPES, POWER_KINDS


class ItemForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "note"}


class ComputersForm(ItemForm):
    needed = forms.IntegerField(label=_("Computers needed"), min_value=0, max_value=1000)
    installed = forms.IntegerField(label=_("Computers installed"), min_value=0, max_value=1000)
    field_order = ["needed", "installed", "note"]


class ScannerForm(ItemForm):
    available = forms.BooleanField(label=_("A scanner is available"), required=False)
    model = forms.CharField(label=_("Scanner model"), required=False, max_length=100)
    field_order = ["available", "model", "note"]


class InternetForm(ItemForm):
    type = forms.ChoiceField(label=_("Connection"), choices=[("", "—"), *INTERNET_TYPES])
    tested_on = forms.DateField(
        label=_("Tested on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    mbps = forms.DecimalField(
        label=_("Speed (Mbps)"), required=False, min_value=0, max_digits=7, decimal_places=2
    )
    field_order = ["type", "tested_on", "mbps", "note"]


class PowerForm(ItemForm):
    kind = forms.ChoiceField(label=_("Power backup"), choices=[("", "—"), *POWER_KINDS])
    hours = forms.DecimalField(
        label=_("Hours of backup"), min_value=0, max_value=72, max_digits=4, decimal_places=1
    )
    field_order = ["kind", "hours", "note"]


class TrainingConfirmForm(ItemForm):
    """Staff training is computed from attendance: confirming records the share as it stands."""


class MigrationForm(ItemForm):
    share = forms.IntegerField(label=_("Old records migrated (%)"), min_value=0, max_value=100)
    field_order = ["share", "note"]


ITEM_FORMS: dict[str, type[ItemForm]] = {
    ReadinessItem.Item.COMPUTERS: ComputersForm,
    ReadinessItem.Item.SCANNER: ScannerForm,
    ReadinessItem.Item.INTERNET: InternetForm,
    ReadinessItem.Item.POWER: PowerForm,
    ReadinessItem.Item.TRAINING: TrainingConfirmForm,
    ReadinessItem.Item.MIGRATION: MigrationForm,
}


def item_form(item: str, *, data=None, details: dict | None = None, note: str = "") -> ItemForm:
    """The item's form, bound to ``data`` or filled from what is recorded; prefixed by the item
    so that six forms on one page keep distinct ids."""
    form_class = ITEM_FORMS[item]
    initial = {name: value for name, value in (details or {}).items() if name in form_class.base_fields}
    return form_class(data=data, initial={**initial, "note": note}, prefix=item)


class GoLiveForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Why go live before the checklist is complete"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed only when an item is not done; it is kept with the office."),
    )
