"""Forms of the RTI register: they check the shape of input and find the records it names among
those the viewer may see; the services decide who may do what and whether the dates hold."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.base.access import Viewer
from core.models import Office, Post, RtiApplication
from core.rti.selectors.applications import (
    case_by_reference,
    case_reference,
    documents_chosen,
    files_by_number,
)
from core.rti.services.applications import ADDRESS_MAX, NAME_MAX, SUBJECT_MAX
from core.rti.services.decisions import TRANSFERRED_TO_MAX

LINES_MAX = 5000


def _date(label, *, today: bool = True) -> forms.DateField:
    field = forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    if today:
        field.initial = timezone.localdate
    return field


def _lines(value: str) -> list[str]:
    """The distinct non-empty lines (or comma-separated items) of a text box, in order."""
    items = [item.strip() for line in value.splitlines() for item in line.split(",")]
    return list(dict.fromkeys(item for item in items if item))


class RtiParticularsForm(forms.Form):
    applicant_name = forms.CharField(label=_("applicant"), max_length=NAME_MAX)
    applicant_address = forms.CharField(
        label=_("applicant's address"), max_length=ADDRESS_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    subject = forms.CharField(
        label=_("information asked for"), max_length=SUBJECT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    life_or_liberty = forms.BooleanField(label=_("concerns the life or liberty of a person"), required=False)
    fee = forms.ChoiceField(label=_("fee"), choices=RtiApplication.Fee.choices)
    pio_post = forms.TypedChoiceField(label=_("public information officer (post)"), coerce=int)
    helper_posts = forms.TypedMultipleChoiceField(
        label=_("officers whose help was sought (s.5(4))"), coerce=int, required=False
    )
    files = forms.CharField(
        label=_("linked files"),
        required=False,
        max_length=LINES_MAX,
        help_text=_("File numbers, one on each line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    cases = forms.CharField(
        label=_("linked cases"),
        required=False,
        max_length=LINES_MAX,
        help_text=_('One on each line, as FIR number/year with the thana\'s name: "Mahua Thana 123/2025".'),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, viewer: Viewer, post_choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.fields["pio_post"].choices = post_choices
        self.fields["helper_posts"].choices = post_choices
        self.fields["helper_posts"].widget.attrs["size"] = 6

    def clean_pio_post(self):
        post = Post.objects.filter(pk=self.cleaned_data["pio_post"]).first()
        if post is None:
            raise forms.ValidationError(_("Choose a post from the list."))
        return post

    def clean_helper_posts(self):
        ids = self.cleaned_data.get("helper_posts") or []
        posts = list(Post.objects.filter(pk__in=ids).order_by("id"))
        if len(posts) != len(set(ids)):
            raise forms.ValidationError(_("Choose posts from the list."))
        return posts

    def clean_files(self):
        files, unknown = files_by_number(self.viewer, _lines(self.cleaned_data.get("files", "")))
        if unknown:
            raise forms.ValidationError(
                _("No file you may see has the number %(numbers)s.") % {"numbers": ", ".join(unknown)}
            )
        return files

    def clean_cases(self):
        cases = []
        for reference in _lines(self.cleaned_data.get("cases", "")):
            case, found = case_by_reference(self.viewer, reference)
            if found > 1:
                raise forms.ValidationError(
                    _("Several cases you may see are numbered “%(case)s”; write the thana's name before it.")
                    % {"case": reference}
                )
            if case is None:
                raise forms.ValidationError(_("No case you may see is “%(case)s”.") % {"case": reference})
            cases.append(case)
        return list(dict.fromkeys(cases))


class RtiEntryForm(RtiParticularsForm):
    office = forms.TypedChoiceField(label=_("office that received it"), coerce=int)
    received_on = _date(_("received on"))
    received_at = forms.TimeField(
        label=_("time received"),
        required=False,
        help_text=_("Needed for the 48-hour rule (life or liberty)."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    mode = forms.ChoiceField(label=_("received how"), choices=RtiApplication.Mode.choices)
    field_order = ["office", "received_on", "received_at", "mode", "applicant_name", "applicant_address"]

    def __init__(self, *args, office_choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = office_choices
        if len(office_choices) == 1:
            self.fields["office"].initial = office_choices[0][0]

    def clean_office(self):
        return Office.objects.get(pk=self.cleaned_data["office"])


class RtiEditForm(RtiParticularsForm):
    documents = forms.TypedMultipleChoiceField(
        label=_("linked documents"),
        coerce=int,
        required=False,
        help_text=_("Documents of the linked files and cases."),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, document_choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = document_choices

    @classmethod
    def for_application(cls, application: RtiApplication, data=None, *, links: dict, **kwargs) -> RtiEditForm:
        """The form filled with the application's particulars and the links the viewer sees."""
        initial = {
            name: getattr(application, name)
            for name in ("applicant_name", "applicant_address", "subject", "life_or_liberty", "fee")
        }
        initial |= {
            "pio_post": application.pio_post_id,
            "helper_posts": list(application.helper_posts.values_list("pk", flat=True)),
            "files": "\n".join(file.number for file in links["files"]),
            "cases": "\n".join(case_reference(case) for case in links["cases"]),
            "documents": [document.pk for document in links["documents"]],
        }
        return cls(data, initial=initial, **kwargs)

    def clean_documents(self):
        return documents_chosen(self.viewer, self.cleaned_data.get("documents") or [])


class RtiFilterForm(forms.Form):
    office = forms.TypedChoiceField(label=_("office"), coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(label=_("status"), required=False)
    received_from = _date(_("received from"), today=False)
    received_to = _date(_("received up to"), today=False)
    due_within = forms.IntegerField(
        label=_("reply due within (days)"), min_value=0, max_value=366, required=False
    )
    overdue = forms.BooleanField(label=_("overdue"), required=False)

    def __init__(self, *args, office_choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [("", _("All offices")), *office_choices]
        self.fields["status"].choices = [("", _("Any status")), *RtiApplication.Status.choices]
        self.fields["received_from"].required = False
        self.fields["received_to"].required = False

    def clean_office(self):
        office_id = self.cleaned_data.get("office")
        return Office.objects.get(pk=office_id) if office_id is not None else None


class _ChangeForm(forms.Form):
    """A change on the application page: unique element ids, since several forms share it."""

    name = "change"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.name}_%s")
        super().__init__(*args, **kwargs)


class FeeAskForm(_ChangeForm):
    name = "fee_ask"
    amount = forms.DecimalField(label=_("further fee (₹)"), max_digits=9, decimal_places=2)
    asked_on = _date(_("asked for on"))


class FeePaidForm(_ChangeForm):
    name = "fee_paid"
    paid_on = _date(_("paid on"))


class TransferForm(_ChangeForm):
    name = "transfer"
    transferred_to = forms.CharField(
        label=_("public authority transferred to"), max_length=TRANSFERRED_TO_MAX
    )
    transferred_on = _date(_("transferred on"))


class ThirdPartyForm(_ChangeForm):
    name = "third_party"
    notified_on = _date(_("third party notified on"))


class AppealReceiveForm(_ChangeForm):
    name = "appeal_receive"
    received_on = _date(_("first appeal received on"))


class AppealDecideForm(_ChangeForm):
    name = "appeal_decide"
    decided_on = _date(_("first appeal decided on"))
    reasons_recorded = forms.BooleanField(
        label=_("reasons recorded in writing for taking up to 45 days (s.19(6))"), required=False
    )
