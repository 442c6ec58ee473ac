"""Forms of the dak pages. They check shape only (the services decide); post and file choices are
given by the view, built from the permission-filtered selectors, so a forged id is simply an
invalid choice."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.efile.forms.movement import REMARKS_MAX
from core.efile.selectors.posts import picker_attrs
from core.models import Receipt
from core.templatetags.karyalay import bilingual

# Dates before this are typing mistakes, not letters (and keep the date widgets sane).
EARLIEST = datetime.date(1950, 1, 1)
# The longest span a register page covers.
MAX_REGISTER_DAYS = 366


def _date(label, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _text(label, *, max_length: int, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=required)


def _area(label, *, required: bool = False, max_length: int | None = None) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": 2})
    )


def _id_choice(label, choices, *, required: bool = True, empty: str = "—") -> forms.TypedChoiceField:
    # Always an empty first option: a required picker must not quietly preselect a post or file.
    choices = [("", empty), *choices]
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=int, required=required, empty_value=None
    )


def post_options(posts) -> list[tuple[int, str]]:
    """Choices for one of my posts: ``Dak clerk, SP office (SP office Vaishali)``."""
    return [(post.pk, f"{bilingual(post, 'title')} ({bilingual(post.office)})") for post in posts]


def file_options(files) -> list[tuple[int, str]]:
    return [(file.pk, f"{file.number} — {file.subject[:80]}") for file in files]


def one_post(form: forms.Form, posts) -> None:
    """The choice of my post; with one post only it is taken as given (a hidden field)."""
    field = form.fields["post"]
    field.choices = post_options(posts)
    if len(posts) == 1:
        field.widget = forms.HiddenInput()
        field.required = False
        field.empty_value = posts[0].pk
        form.initial.setdefault("post", posts[0].pk)


def _not_before(form: forms.Form, field: str) -> None:
    day = form.cleaned_data.get(field)
    if day and day < EARLIEST:
        form.add_error(field, _("Give a date from 1950 on."))


class MarkFields(forms.Form):
    """Where to mark dak: a post, remarks, a due date (optional as a whole on the diarise form)."""

    def add_mark_fields(self, post_choices, *, required: bool) -> None:
        empty = "—" if required else _("Keep it at my post")
        self.fields["to_post"] = _id_choice(_("Mark to"), post_choices, required=required, empty=empty)
        self.fields["to_post"].widget.attrs.update(picker_attrs())
        self.fields["remarks"] = _area(_("Remarks"), max_length=REMARKS_MAX)
        self.fields["due_on"] = _date(_("Due by"), required=False)

    def clean_due_on(self):
        day = self.cleaned_data.get("due_on")
        if day and day < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return day


class DiariseForm(MarkFields):
    post = forms.TypedChoiceField(label=_("Diarise at my post"), coerce=int)
    received_on = _date(_("Received on"))
    mode = forms.ChoiceField(label=_("How it came"), choices=Receipt.Mode.choices)
    sender = _text(_("Sender"), max_length=200)
    sender_address = _area(_("Sender's address"))
    subject = _text(_("Subject"), max_length=500)
    letter_date = _date(_("Letter date"), required=False)
    letter_reference = _text(_("Letter reference (number)"), max_length=200, required=False)

    def __init__(self, *args, posts, post_choices, **kwargs):
        kwargs.setdefault("initial", {"received_on": timezone.localdate(), "mode": Receipt.Mode.POST})
        super().__init__(*args, **kwargs)
        one_post(self, posts)
        self.fields["subject"].help_text = _("In Hindi or in English.")
        self.add_mark_fields(post_choices, required=False)

    def clean(self):
        data = super().clean()
        for field in ("received_on", "letter_date"):
            _not_before(self, field)
        if not data.get("to_post") and (data.get("due_on") or (data.get("remarks") or "").strip()):
            self.add_error(
                "to_post",
                _("Choose the post to mark the dak to, or leave the remarks and the due date empty."),
            )
        return data


class MarkForm(MarkFields):
    def __init__(self, *args, post_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_mark_fields(post_choices, required=True)


class AttachForm(forms.Form):
    def __init__(self, *args, files, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = _id_choice(_("Put in the file"), file_options(files))


class CloseForm(forms.Form):
    remark = forms.CharField(
        label=_("Closing remark"),
        max_length=REMARKS_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why no further action is needed."),
    )


class DispatchForm(forms.Form):
    """A letter sent out that did not go through e-File. There is no file to choose: a letter from
    a file goes out by approving its draft on the file (``draft_approve``), never by hand."""

    post = forms.TypedChoiceField(label=_("Enter at my post"), coerce=int)
    dispatched_on = _date(_("Sent on"))
    mode = forms.ChoiceField(label=_("Sent by"), choices=Receipt.Mode.choices)
    addressee = _text(_("Addressee"), max_length=200)
    addressee_address = _area(_("Addressee's address"))
    subject = _text(_("Subject"), max_length=500)

    def __init__(self, *args, posts, **kwargs):
        kwargs.setdefault("initial", {"dispatched_on": timezone.localdate(), "mode": Receipt.Mode.POST})
        super().__init__(*args, **kwargs)
        one_post(self, posts)

    def clean_dispatched_on(self):
        day = self.cleaned_data["dispatched_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date sent cannot be in the future."))
        if day < EARLIEST:
            raise forms.ValidationError(_("Give a date from 1950 on."))
        return day


class RegisterForm(forms.Form):
    """The filters of a register page; an invalid filter falls back to the defaults."""

    office = forms.TypedChoiceField(label=_("Office"), coerce=int, required=False, empty_value=None)
    date_from = _date(_("From"), required=False)
    date_to = _date(_("To"), required=False)

    def __init__(self, *args, offices, default_range, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_range = default_range
        self.fields["office"].choices = [("", _("All my offices"))] + [
            (office.pk, bilingual(office)) for office in offices
        ]

    def clean(self):
        data = super().clean()
        if "date_from" in data and not data["date_from"]:
            data["date_from"] = self.default_range[0]
        if "date_to" in data and not data["date_to"]:
            data["date_to"] = self.default_range[1]
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if start > end:
                self.add_error("date_to", _("The end date cannot be before the start date."))
            elif (end - start).days >= MAX_REGISTER_DAYS:
                self.add_error("date_to", _("Choose at most a year at a time."))
        _not_before(self, "date_from")
        return data
