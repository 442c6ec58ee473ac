"""Forms of the training screens: a session, invitations (by office or by name), attendance."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Office, TrainingInvite
from core.org.selectors.training import invitable_people, open_postings
from tenants.models import User


def _open_offices():
    return Office.objects.exclude(status=Office.Status.CLOSED).order_by("phase", "name")


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    online = forms.BooleanField(label=_("Online"), required=False)
    trainer = forms.CharField(label=_("Trainer"), max_length=150)
    topics = forms.CharField(label=_("Topics"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    office = forms.ModelChoiceField(
        label=_("For the office"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("Any office"),
        help_text=_("Optional: the office this session is for."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = _open_offices()

    def clean(self):
        data = super().clean()
        if not (data.get("place") or "").strip() and not data.get("online"):
            self.add_error("place", _("Give the place, or mark the session as online."))
        return data


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        return f"{person.get_full_name() or person.login_id} ({person.login_id})"


class InviteForm(forms.Form):
    office = forms.ModelChoiceField(
        label=_("Everyone posted to the office"),
        queryset=Office.objects.none(),
        required=False,
        empty_label="—",
    )
    people = PersonChoiceField(
        label=_("Or these officers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = _open_offices()
        self.fields["people"].queryset = User.objects.filter(
            pk__in=[p.pk for p in invitable_people()]
        ).order_by("full_name", "login_id")

    def clean(self):
        data = super().clean()
        people = set(data.get("people") or [])
        office = data.get("office")
        if office is not None:
            holders = open_postings().filter(post__office=office).values_list("person_id", flat=True)
            people |= set(User.objects.filter(pk__in=holders))
            if not holders:
                self.add_error("office", _("No one is posted to this office."))
        if not people and not self.errors:
            raise forms.ValidationError(_("Choose an office or at least one officer."))
        data["invitees"] = people
        return data


ATTENDANCE_CHOICES = [("", _("Not marked")), ("yes", _("Attended")), ("no", _("Absent"))]
_MARK = {"": None, "yes": True, "no": False}


class AttendanceForm(forms.Form):
    """One attended / absent / not marked choice per invitee (field ``invite-<id>``)."""

    def __init__(self, *args, invites: list[TrainingInvite], **kwargs):
        super().__init__(*args, **kwargs)
        self.invites = invites
        for invite in invites:
            current = {None: "", True: "yes", False: "no"}[invite.attended]
            self.fields[f"invite-{invite.pk}"] = forms.ChoiceField(
                label=invite.person.get_full_name() or invite.person.login_id,
                choices=ATTENDANCE_CHOICES,
                required=False,
                initial=current,
                widget=forms.RadioSelect,
            )

    def rows(self):
        return [(invite, self[f"invite-{invite.pk}"]) for invite in self.invites]

    def marks(self) -> dict[int, bool | None]:
        return {invite.pk: _MARK[self.cleaned_data[f"invite-{invite.pk}"]] for invite in self.invites}
