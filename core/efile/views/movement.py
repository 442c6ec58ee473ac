"""A file's movement: send, receive, return, park, take up, close, reopen (POST only), and its
track and history pages. Every URL names a file, so every view answers 404 to whoever may not see
it (anonymous visitors included); the services check again who may do what."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from core.efile import access
from core.efile.forms.movement import FileCloseForm, FileReopenForm, FileSendForm, RemarksForm
from core.efile.selectors.posts import post_choices
from core.efile.selectors.track import file_history_page, item_track
from core.efile.services import movement as services
from core.efile.views.common import actor_for, item_view
from core.models import Post


def _file_view(method: str):
    """The view takes the file, looked up for the signed-in viewer: whoever may not see it gets
    404 whatever the method (so a GET cannot tell them the id exists); then ``method`` only."""

    def decorator(view):
        @item_view
        @functools.wraps(view)
        def wrapped(request, file_id):
            file = access.file_for(access.viewer_of(request), file_id)
            if file is None:
                raise Http404
            if request.method != method:
                return HttpResponseNotAllowed([method])
            return view(request, file)

        return wrapped

    return decorator


moves = _file_view("POST")
pages = _file_view("GET")


def file_page_url(file) -> str:
    """The file's own page (the files area's), or its track until that page exists."""
    try:
        return reverse("efile_file", args=[file.pk])
    except NoReverseMatch:
        return reverse("efile_file_track", args=[file.pk])


def _refused(request, file, error: ValidationError):
    for message in error.messages:
        messages.error(request, message)
    return redirect(file_page_url(file))


def _form_page(request, file, form, *, action: str, title: str):
    """A refused form, shown again with its errors and what was typed (nothing is lost)."""
    return render(
        request,
        "core/efile/files/action.html",
        {"file": file, "form": form, "action": action, "title": title},
    )


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _run_form(request, file, form, *, action: str, title: str, service, done: str, to_file: bool = True):
    """Validate the form, call the service with its cleaned values, say ``done`` and go back to
    the file (or to the inbox when the file has left the person's posts)."""
    if form.is_valid():
        try:
            service(**form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(file_page_url(file) if to_file else reverse("efile_inbox"))
    return _form_page(request, file, form, action=action, title=title)


@moves
def file_send(request, file):
    form = FileSendForm(request.POST, post_choices=post_choices(exclude_post_id=file.current_post_id))

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


@moves
def file_return(request, file):
    return _run_form(
        request,
        file,
        RemarksForm(request.POST),
        action=reverse("efile_file_return", args=[file.pk]),
        title=_("Return the file"),
        service=lambda **data: services.file_return(actor=actor_for(request, file), file=file, **data),
        done=_("File %(number)s returned.") % {"number": file.number},
        to_file=False,
    )


@moves
def file_park(request, file):
    return _run_form(
        request,
        file,
        RemarksForm(request.POST),
        action=reverse("efile_file_park", args=[file.pk]),
        title=_("Park the file"),
        service=lambda **data: services.file_park(actor=actor_for(request, file), file=file, **data),
        done=_("File %(number)s parked.") % {"number": file.number},
    )


@moves
def file_close(request, file):
    return _run_form(
        request,
        file,
        FileCloseForm(request.POST),
        action=reverse("efile_file_close", args=[file.pk]),
        title=_("Close the file"),
        service=lambda **data: services.file_close(actor=actor_for(request, file), file=file, **data),
        done=_("File %(number)s closed.") % {"number": file.number},
    )


@moves
def file_reopen(request, file):
    return _run_form(
        request,
        file,
        FileReopenForm(request.POST),
        action=reverse("efile_file_reopen", args=[file.pk]),
        title=_("Reopen the file"),
        service=lambda **data: services.file_reopen(actor=actor_for(request, file), file=file, **data),
        done=_("File %(number)s reopened.") % {"number": file.number},
    )


@moves
def file_receive(request, file):
    try:
        services.file_receive(actor=actor_for(request, file), file=file)
    except ValidationError as error:
        return _refused(request, file, error)
    messages.success(request, _("File %(number)s received.") % {"number": file.number})
    return redirect(file_page_url(file))


@moves
def file_unpark(request, file):
    try:
        services.file_unpark(actor=actor_for(request, file), file=file)
    except ValidationError as error:
        return _refused(request, file, error)
    messages.success(request, _("File %(number)s is back in the inbox.") % {"number": file.number})
    return redirect(file_page_url(file))


@pages
def file_track(request, file):
    services.file_track_view_record(actor=actor_for(request, file), file=file, page="track")
    return render(
        request,
        "core/efile/files/track.html",
        {"file": file, "track": item_track(file), "file_url": file_page_url(file)},
    )


@pages
def file_history(request, file):
    services.file_track_view_record(actor=actor_for(request, file), file=file, page="history")
    return render(
        request,
        "core/efile/files/history.html",
        {
            "file": file,
            "page": file_history_page(file, request.GET.get("page")),
            "file_url": file_page_url(file),
        },
    )
