"""A file's movement: send, receive, return, park, take up, close, reopen (POST only), and its
track and history pages. Every URL names a file, so every view answers 404 to whoever may not see
it (anonymous visitors included); the services check again who may do what."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.base import access
from core.base.actors import actor_for
from core.base.form_errors import service_errors
from core.base.http import item_or_404
from core.efile.forms.movement import FileCloseForm, FileReopenForm, FileSendForm, RemarksForm
from core.efile.selectors.posts import post_choices
from core.efile.selectors.track import file_history_page, item_track
from core.efile.services import movement as services
from core.efile.services.files import file_view_record
from core.models import Post

moves = item_or_404(access.file_for, "POST")
pages = item_or_404(access.file_for, "GET")


def file_page_url(file) -> str:
    return reverse("efile_file", args=[file.pk])


def _form_page(request, file, form, *, action: str, title: str):
    """A refused form, shown again with its errors and what was typed (nothing is lost)."""
    return render(
        request,
        "core/efile/files/action.html",
        {"file": file, "form": form, "action": action, "title": title},
    )


def _run_form(request, file, form, *, action: str, title: str, service, done: str, to_file: bool = True):
    """Validate the form, call the service with its cleaned values, say ``done`` and go back to
    the file (or to the inbox when the file has left the person's posts)."""
    if form.is_valid():
        try:
            service(**form.cleaned_data)
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(file_page_url(file) if to_file else reverse("efile_inbox"))
    return _form_page(request, file, form, action=action, title=title)


@moves
def file_send(request, file):
    choices = post_choices(exclude_post_id=file.current_post_id, viewer=access.viewer_of(request))
    form = FileSendForm(request.POST, post_choices=choices)

    def send(*, to_post, remarks, due_on):
        post = Post.objects.select_related("office").get(pk=to_post)
        services.file_send(
            actor=actor_for(request, file), file=file, to_post=post, remarks=remarks, due_on=due_on
        )

    return _run_form(
        request,
        file,
        form,
        action=reverse("efile_file_send", args=[file.pk]),
        title=_("Send the file"),
        service=send,
        done=_("File %(number)s sent.") % {"number": file.number},
        to_file=False,
    )


@dataclass(frozen=True)
class FormStep:
    """A step taken with a form: the form, the service it feeds, the form page's title, what is
    said when done (``%(number)s``: the file's number), and where to go then."""

    form: type[forms.Form]
    service: Callable[..., object]
    title: Promise
    done: Promise
    to_inbox: bool = False


# Keyed by the step's name in its URL (``efile_file_<step>``). Returning sends the file away from
# the person's posts, so they go back to their inbox; the other steps leave it where it is.
FORM_STEPS = {
    "return": FormStep(
        RemarksForm,
        services.file_return,
        gettext_lazy("Return the file"),
        gettext_lazy("File %(number)s returned."),
        to_inbox=True,
    ),
    "park": FormStep(
        RemarksForm,
        services.file_park,
        gettext_lazy("Park the file"),
        gettext_lazy("File %(number)s parked."),
    ),
    "close": FormStep(
        FileCloseForm,
        services.file_close,
        gettext_lazy("Close the file"),
        gettext_lazy("File %(number)s closed."),
    ),
    "reopen": FormStep(
        FileReopenForm,
        services.file_reopen,
        gettext_lazy("Reopen the file"),
        gettext_lazy("File %(number)s reopened."),
    ),
}

# Steps without a form (a button): the service and what is said when done.
BUTTON_STEPS = {
    "receive": (services.file_receive, gettext_lazy("File %(number)s received.")),
    "unpark": (services.file_unpark, gettext_lazy("File %(number)s is back in the inbox.")),
}


@moves
def file_form_step(request, file, step: str):
    """Return, park, close or reopen (``FORM_STEPS``); a refusal shows the form again."""
    spec = FORM_STEPS[step]
    return _run_form(
        request,
        file,
        spec.form(request.POST),
        action=reverse(f"efile_file_{step}", args=[file.pk]),
        title=spec.title,
        service=lambda **data: spec.service(actor=actor_for(request, file), file=file, **data),
        done=spec.done % {"number": file.number},
        to_file=not spec.to_inbox,
    )


@moves
def file_button_step(request, file, step: str):
    """Receive or take up (``BUTTON_STEPS``); a refusal is a message on the file page."""
    service, done = BUTTON_STEPS[step]
    try:
        service(actor=actor_for(request, file), file=file)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done % {"number": file.number})
    return redirect(file_page_url(file))


@pages
def file_track(request, file):
    file_view_record(actor=actor_for(request, file), file=file, page="track")
    return render(
        request,
        "core/efile/files/track.html",
        {"file": file, "track": item_track(file), "file_url": file_page_url(file)},
    )


@pages
def file_history(request, file):
    file_view_record(actor=actor_for(request, file), file=file, page="history")
    return render(
        request,
        "core/efile/files/history.html",
        {
            "file": file,
            "page": file_history_page(file, request.GET.get("page")),
            "file_url": file_page_url(file),
        },
    )
