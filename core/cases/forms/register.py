"""Forms of the case register: they check the shape of input; the services decide who may do what
and whether the case's number and dates hold."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.cases.services.register import FIR_MAX, FIRST_YEAR, NAMES_MAX, SECTIONS_MAX, TEXT_MAX
from core.models import Case, Office, PapersPlace, Post

# Suggestions for the sections field (a datalist): typing stays free.
SECTION_SUGGESTIONS = ("BNS", "BNSS", "IPC", "CrPC", "Arms Act", "NDPS Act", "SC/ST (PoA) Act", "POCSO Act")


def _date(label) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def _textarea(label, *, max_length: int, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, required=False, widget=forms.Textarea(attrs={"rows": rows})
    )


def _year_field(*, required: bool) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("year"), required=required, min_value=FIRST_YEAR, max_value=timezone.localdate().year
    )


def _io_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("investigating officer (post)"), coerce=int, required=False, empty_value=None
    )


class CaseParticularsForm(forms.Form):
    sections = forms.CharField(
        label=_("sections of law"),
        max_length=SECTIONS_MAX,
        help_text=_('For example "BNS 103(1), 3(5)".'),
        widget=forms.TextInput(attrs={"list": "case-sections"}),
    )
    io_post = _io_field()
    complainant = forms.CharField(label=_("complainant"), max_length=NAMES_MAX, required=False)
    accused = _textarea(_("accused (names only)"), max_length=TEXT_MAX, rows=2)
    brief_facts = _textarea(_("brief facts"), max_length=TEXT_MAX, rows=6)

    def __init__(self, *args, post_choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["io_post"].choices = [("", _("— not yet assigned —")), *post_choices]

    def clean_io_post(self):
        post_id = self.cleaned_data.get("io_post")
        if post_id is None:
            return None
        post = Post.objects.filter(pk=post_id).first()
        if post is None:
            raise forms.ValidationError(_("Choose a post from the list."))
        return post


class CaseRegisterForm(CaseParticularsForm):
    thana = forms.TypedChoiceField(label=_("thana"), coerce=int)
    year = _year_field(required=True)
    fir_number = forms.IntegerField(label=_("FIR number"), min_value=1, max_value=FIR_MAX)
    registered_on = _date(_("registered on"))
    field_order = ["thana", "year", "fir_number", "registered_on", "sections", "io_post"]

    def __init__(self, *args, thana_choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thana"].choices = thana_choices
        if len(thana_choices) == 1:
            self.fields["thana"].initial = thana_choices[0][0]
        self.fields["year"].initial = timezone.localdate().year

    def clean_thana(self):
        return Office.objects.get(pk=self.cleaned_data["thana"])


class CaseEditForm(CaseParticularsForm):
    status = forms.ChoiceField(label=_("status"), choices=Case.Status.choices)
    field_order = ["status", "io_post", "sections"]

    @classmethod
    def for_case(cls, case: Case, data=None, **kwargs) -> CaseEditForm:
        initial = {
            name: getattr(case, name)
            for name in ("status", "sections", "complainant", "accused", "brief_facts")
        }
        initial["io_post"] = case.io_post_id
        return cls(data, initial=initial, **kwargs)


class CustodyMoveForm(forms.Form):
    to_place = forms.ChoiceField(label=_("move the papers to"), choices=PapersPlace.choices)
    moved_on = _date(_("moved on"))
    remarks = _textarea(_("remarks (optional)"), max_length=2000, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["moved_on"].initial = timezone.localdate()


class CaseFilterForm(forms.Form):
    thana = forms.TypedChoiceField(label=_("thana"), coerce=int, required=False, empty_value=None)
    year = _year_field(required=False)
    status = forms.ChoiceField(label=_("status"), required=False)

    def __init__(self, *args, thana_choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thana"].choices = [("", _("All thanas")), *thana_choices]
        self.fields["status"].choices = [("", _("Any status")), *Case.Status.choices]

    def clean_thana(self):
        thana_id = self.cleaned_data.get("thana")
        return Office.objects.get(pk=thana_id) if thana_id is not None else None


class ProgressForm(forms.Form):
    reported_on = _date(_("date of the report"))
    done = forms.CharField(
        label=_("what was done"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_steps = _textarea(_("next steps"), max_length=TEXT_MAX, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].initial = timezone.localdate()


class ReviewForm(forms.Form):
    reviewed_on = _date(_("date of the review"))
    directions = forms.CharField(
        label=_("directions to the investigating officer"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    due_on = _date(_("directions due by"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = timezone.localdate()


class ComplyForm(forms.Form):
    complied_on = _date(_("complied on"))
    note = forms.CharField(
        label=_("what was done to comply"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["complied_on"].initial = timezone.localdate()
