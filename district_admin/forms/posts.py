"""Forms of the posts and postings screens: shape only; the posting rules are core.org.services'."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.models import Office, Post, Posting
from core.org.selectors.postings import person_by_login
from tenants.models import User

EARLIEST = datetime.date(1950, 1, 1)


def _date_in_range(value: datetime.date | None) -> None:
    """A posting date from 1 January 1950 to a year from today: later or earlier is a typing slip."""
    if value is None:
        return
    latest = timezone.localdate() + datetime.timedelta(days=365)
    if value < EARLIEST or value > latest:
        raise forms.ValidationError(
            _("Give a date from %(first)s to %(last)s.")
            % {"first": date_format(EARLIEST), "last": date_format(latest)}
        )


def _date(label, *, required: bool = True, initial=None) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        initial=initial,
        validators=[_date_in_range],
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class PostEditForm(forms.Form):
    title = forms.CharField(label=_("title (English)"), max_length=150)
    title_hi = forms.CharField(label=_("title (Hindi)"), max_length=150, required=False)


class PostCreateForm(PostEditForm):
    code = forms.SlugField(
        label=_("code"), max_length=60, help_text=_("Lower-case letters, digits and hyphens, e.g. sho-mahua.")
    )
    kind = forms.ChoiceField(
        label=_("type"),
        choices=Post.Kind.choices,
        help_text=_("For a post not in the list choose “Other post” and give its title."),
    )
    field_order = ["code", "kind", "title", "title_hi"]


class PostingStartForm(forms.Form):
    """Who to post, by login ID; for someone never posted in this district before, their service
    number too, so that a login ID alone never reaches an officer of another district. Platform
    staff are never posted here. The refusal never says whether the login ID exists elsewhere."""

    login_id = forms.CharField(label=_("login ID"), max_length=64)
    service_number = forms.CharField(
        label=_("service number"),
        max_length=32,
        required=False,
        help_text=_("Needed for an officer never posted in this district before."),
    )
    starts_on = _date(_("from"), initial=timezone.localdate)
    ends_on = _date(_("until"), required=False)
    additional_charge = forms.BooleanField(
        label=_("additional charge"),
        required=False,
        help_text=_("In-charge of this post for a stated period, besides the person's own post."),
    )

    person: User | None = None

    def clean(self):
        data = super().clean()
        if "login_id" in data:
            self.person = self._person(data["login_id"], data.get("service_number", "").strip())
            if self.person is None:
                self.add_error(
                    "login_id",
                    _(
                        "No officer of this district has this login ID. For an officer new to the "
                        "district give their service number too, or add them on the officers page."
                    ),
                )
            else:
                data["login_id"] = self.person.login_id
        if data.get("additional_charge") and not data.get("ends_on"):
            self.add_error("ends_on", _("An additional charge is for a stated period: give its end date."))
        return data

    @staticmethod
    def _person(login_id: str, service_number: str) -> User | None:
        person = person_by_login(login_id)
        if person is None or person.is_staff or person.is_superuser:
            return None
        if Posting.objects.filter(person=person).exists():
            return person
        if service_number and person.service_number and person.service_number == service_number:
            return person
        return None


class PostingEndForm(forms.Form):
    ends_on = _date(_("until"), initial=timezone.localdate)


class PostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Post) -> str:
        title = f"{obj.title} · {obj.title_hi}" if obj.title_hi else obj.title
        return f"{title} — {obj.office.name}"


class PostingTransferForm(forms.Form):
    to_post = PostChoiceField(label=_("to post"), queryset=Post.objects.none())
    on = _date(_("from"), initial=timezone.localdate)
    ends_on = _date(_("until"), required=False)

    def __init__(self, *args, exclude_post: Post, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_post"].queryset = (
            Post.objects.exclude(pk=exclude_post.pk)
            .exclude(office__status=Office.Status.CLOSED)
            .select_related("office")
            .order_by("office__name", "title")
        )
