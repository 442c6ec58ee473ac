"""Forms of the posts and postings screens: shape only; the posting rules are core.services'."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Office, Post
from core.selectors import person_by_login


def _date(label, *, required: bool = True, initial=None) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, initial=initial, widget=forms.DateInput(attrs={"type": "date"})
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
    login_id = forms.CharField(label=_("login ID"), max_length=64)
    starts_on = _date(_("from"), initial=timezone.localdate)
    ends_on = _date(_("until"), required=False)
    additional_charge = forms.BooleanField(
        label=_("additional charge"),
        required=False,
        help_text=_("In-charge of this post for a stated period, besides the person's own post."),
    )

    def clean_login_id(self):
        person = person_by_login(self.cleaned_data["login_id"])
        if person is None:
            raise forms.ValidationError(_("No one has this login ID. Add the officer first."))
        self.person = person
        return person.login_id

    def clean(self):
        data = super().clean()
        if data.get("additional_charge") and not data.get("ends_on"):
            self.add_error("ends_on", _("An additional charge is for a stated period: give its end date."))
        return data


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
