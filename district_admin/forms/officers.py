"""Forms of the officers screens: add one, deactivate, search. (An import's upload form is
``core.org.officer_import.forms``.)"""

from django import forms
from django.utils.translation import gettext_lazy

from core.models import Office, Post
from core.org.services.officers import officer_add_problems

# The officers views' name for putting a refusal on a form.


def search_query(params) -> str:
    """The officers search text from a query string: NUL characters (PostgreSQL cannot hold them)
    dropped, spaces tidied, at most 100 characters."""
    return " ".join(str(params.get("q", "")).replace("\x00", "").split())[:100]


class PostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, post):
        return f"{post.title} · {post.office.name}"


class OfficerForm(forms.Form):
    login_id = forms.CharField(label=gettext_lazy("Login ID"), max_length=64)
    full_name = forms.CharField(label=gettext_lazy("Name (English)"), max_length=150)
    full_name_hi = forms.CharField(label=gettext_lazy("Name (Hindi)"), max_length=150, required=False)
    rank = forms.CharField(label=gettext_lazy("Rank"), max_length=60, required=False)
    service_number = forms.CharField(label=gettext_lazy("Service number"), max_length=32)
    mobile = forms.CharField(label=gettext_lazy("Mobile"), max_length=20, required=False)
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        required=False,
        help_text=gettext_lazy("A new officer's link to set their own password is sent here."),
    )
    post = PostChoiceField(label=gettext_lazy("Post"), queryset=Post.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = (
            Post.objects.exclude(office__status=Office.Status.CLOSED)
            .select_related("office")
            .order_by("office__phase", "office__name", "title")
        )

    def clean(self):
        """Every refusal at once: the service's checks (a taken login ID, a bad mobile number, a
        held post…) run here over the fields that passed their own, so one submit shows them all."""
        cleaned = super().clean()
        fields = ("login_id", "full_name", "full_name_hi", "rank", "service_number", "mobile", "email")
        values = {name: cleaned.get(name) or "" for name in fields}
        problems = officer_add_problems(**values, post=cleaned.get("post"))
        for name, messages in problems.items():
            if name in self.errors:
                continue  # the field's own check already said what is wrong with it
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        return cleaned


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
