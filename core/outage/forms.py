"""Forms of the outage pages: shape only (the services decide). Post and office choices come from
the view; a forged id is an invalid choice."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.efile.forms.dak import one_post
from core.efile.forms.movement import REMARKS_MAX
from core.efile.services.notes import NOTE_MAX
from core.models import Receipt
from core.outage.services import COUNT_MAX

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class TrueTimeField(forms.DateTimeField):
    """A date and time as the browser's ``datetime-local`` sends it, read in the district's time."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)
        )
        kwargs.setdefault("input_formats", [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])
        super().__init__(**kwargs)


def _choice(label, choices, *, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=[("", "—"), *choices], coerce=int, required=required, empty_value=None
    )


class DeclareForm(forms.Form):
    office = forms.TypedChoiceField(label=_("Office"), coerce=int, empty_value=None, required=False)
    started_at = TrueTimeField(label=_("Outage began at"))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    diary_count = forms.IntegerField(
        label=_("Diary numbers to reserve per office"), initial=50, min_value=1, max_value=COUNT_MAX
    )
    slip_count = forms.IntegerField(
        label=_("Movement slips to reserve per office"), initial=50, min_value=1, max_value=COUNT_MAX
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [("", _("The whole district")), *offices]
        self.initial.setdefault("started_at", timezone.localtime().strftime(DATETIME_FORMAT))


class EndForm(forms.Form):
    ended_at = TrueTimeField(label=_("Outage ended at"))


class BackDakForm(forms.Form):
    post = forms.TypedChoiceField(label=_("Diarised at post"), coerce=int, empty_value=None)
    number = forms.CharField(label=_("Reserved diary number (from the paper register)"), max_length=60)
    occurred_at = TrueTimeField(label=_("True date and time of receipt"))
    mode = forms.ChoiceField(label=_("How it came"), choices=Receipt.Mode.choices)
    sender = forms.CharField(label=_("From"), max_length=200)
    subject = forms.CharField(label=_("Subject"), max_length=500)
    letter_reference = forms.CharField(label=_("Letter reference"), max_length=200, required=False)

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        one_post(self, posts)  # with one post only, taken as given


class BackNoteForm(forms.Form):
    file = forms.TypedChoiceField(label=_("File"), coerce=int, empty_value=None)
    occurred_at = TrueTimeField(label=_("True date and time of the note"))
    body = forms.CharField(
        label=_("Note (as written on paper)"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, files, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].choices = [("", "—"), *files]


class BackMoveForm(forms.Form):
    item = forms.ChoiceField(label=_("File or dak"))
    to_post = forms.TypedChoiceField(label=_("Sent to post"), coerce=int, empty_value=None)
    number = forms.CharField(label=_("Reserved movement slip number"), max_length=60)
    occurred_at = TrueTimeField(label=_("True date and time it was sent"))
    remarks = forms.CharField(
        label=_("Remarks"), max_length=REMARKS_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, items, to_posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "—"), *items]
        self.fields["to_post"].choices = [("", "—"), *to_posts]
