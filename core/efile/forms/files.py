"""Forms of the file pages: they check the shape of input; the services decide who may do what."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.base.access import id_or_none
from core.efile.selectors.files import head_choices, post_choice_label, register_office_choices
from core.models import Draft, EFile, FileHead, Office, Post, Receipt

TEXTAREA = {"rows": 6}


class FileFieldsForm(forms.Form):
    subject = forms.CharField(label=_("subject"), max_length=500, help_text=_("In Hindi or English."))
    category = forms.ChoiceField(label=_("category"), choices=EFile.Category.choices)
    priority = forms.ChoiceField(
        label=_("priority"), choices=EFile.Priority.choices, initial=EFile.Priority.NORMAL
    )
    confidentiality = forms.ChoiceField(
        label=_("confidentiality"),
        choices=EFile.Confidentiality.choices,
        initial=EFile.Confidentiality.NORMAL,
        help_text=_(
            "Confidential and secret files are seen only at their posts and by the supervisors above."
        ),
    )


class FileCreateForm(FileFieldsForm):
    post = forms.TypedChoiceField(label=_("open at my post"), coerce=int)
    head = forms.TypedChoiceField(label=_("file head"), coerce=int)
    field_order = ["post", "head", "subject", "category", "priority", "confidentiality"]

    def __init__(self, *args, posts: list[Post], **kwargs):
        super().__init__(*args, **kwargs)
        self.posts = {post.pk: post for post in posts}
        self.fields["post"].choices = [(post.pk, post_choice_label(post)) for post in posts]
        self.fields["head"].choices = head_choices(posts)
        if len(posts) == 1:
            self.fields["post"].initial = posts[0].pk

    def clean(self):
        data = super().clean()
        if "post" in data:
            data["post"] = self.posts[data["post"]]
        if "head" in data:
            data["head"] = FileHead.objects.get(pk=data["head"])
        return data


class NoteForm(forms.Form):
    body = forms.CharField(label=_("note"), max_length=20000, widget=forms.Textarea(attrs=TEXTAREA))


class DraftForm(forms.Form):
    addressee = forms.CharField(label=_("addressee"), max_length=200)
    addressee_address = forms.CharField(
        label=_("addressee's address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    subject = forms.CharField(label=_("subject"), max_length=500)
    body = forms.CharField(label=_("letter"), max_length=50000, widget=forms.Textarea(attrs={"rows": 12}))

    @classmethod
    def for_draft(cls, draft: Draft, data=None) -> DraftForm:
        return cls(data, initial={name: getattr(draft, name) for name in cls.base_fields})


class DraftApproveForm(forms.Form):
    mode = forms.ChoiceField(label=_("send by"), choices=Receipt.Mode.choices, initial=Receipt.Mode.POST)
    remarks = forms.CharField(
        label=_("remarks (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DraftReturnForm(forms.Form):
    note = forms.CharField(
        label=_("what to change"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RegisterForm(forms.Form):
    """The file register's filters: office, year and status (all from the query string)."""

    office = forms.TypedChoiceField(label=_("office"), coerce=int)
    year = forms.IntegerField(label=_("year"), min_value=1950, max_value=2200)
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", _("all")), *EFile.Status.choices]
    )

    def __init__(self, *args, viewer, default_office_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = register_office_choices(viewer)
        self.fields["office"].initial = default_office_id
        self.fields["year"].initial = timezone.localdate().year

    def clean_office(self) -> Office:
        return Office.objects.get(pk=id_or_none(self.cleaned_data["office"]))
