"""Forms of a file's movement: send, return, park, close, reopen. They check shape; the services
decide (who holds the file, whether the post is open, whether the date is past)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.efile.selectors.posts import picker_attrs, post_choice_ids
from core.efile.services.common import REMARKS_MAX


class FileSendForm(forms.Form):
    """Send to a post (grouped by office, with today's holders), remarks, optional due date."""

    to_post = forms.TypedChoiceField(label=_("Send to post"), coerce=int, choices=())
    remarks = forms.CharField(
        label=_("Remarks"), required=False, max_length=REMARKS_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(
        label=_("Due by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, post_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_post"].choices = [("", _("Choose a post")), *post_choices]
        self.fields["to_post"].widget.attrs.update(picker_attrs())
        self.offered = post_choice_ids(post_choices)

    def clean_to_post(self):
        post_id = self.cleaned_data["to_post"]
        if post_id not in self.offered:
            raise forms.ValidationError(_("Choose one of the listed posts."))
        return post_id


class RemarksForm(forms.Form):
    """Return or park: optional remarks."""

    remarks = forms.CharField(
        label=_("Remarks"), required=False, max_length=REMARKS_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class FileCloseForm(forms.Form):
    remark = forms.CharField(
        label=_("Closing remark"), max_length=REMARKS_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class FileReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"), max_length=REMARKS_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
