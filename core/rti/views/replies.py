"""Pages of the RTI replies: the reply form and making a failed reply again (the PIO only), and
the reply's downloads (whoever may see the application). Every application is looked up through
``rti_for``: whoever may not see it gets 404, anonymous visitors included. The application page
shows the replies through the partial ``core/rti/_replies.html``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.base.access import id_or_none, viewer_of
from core.base.audit import Actor
from core.base.form_errors import service_errors
from core.base.http import item_or_404
from core.base.names import name_in_language
from core.base.serving import stored_or_404, stored_serve
from core.models import RtiApplication, RtiReply
from core.rti.access import rti_for, rti_pio_post_id
from core.rti.forms.replies import ReplyForm
from core.rti.selectors.applications import application_url, reply_document_choices
from core.rti.services.applications import rti_view_record
from core.rti.services.bundle import reply_file_stem
from core.rti.services.replies import (
    REPLY_FILES,
    rti_reply,
    rti_reply_bundle_retry,
    rti_reply_download_record,
)

CONTENT_TYPES = {"pdf": "application/pdf", "zip": "application/zip"}


@item_or_404(rti_for)
def reply_page(request, application: RtiApplication):
    """The reply form: the PIO writes the letter, picks what to disclose and, for a rejection, the
    section, the appellate authority and the period. Anyone else who sees the application is told
    that only the PIO replies (403)."""
    viewer = viewer_of(request)
    post_id = rti_pio_post_id(viewer, application)
    context = {"application": application, "application_url": application_url(application.pk)}
    if post_id is None:
        context["refusal"] = _(
            "Only the public information officer (%(post)s) may reply to this application."
        ) % {"post": name_in_language(application.pio_post, "title")}
        return render(request, "core/rti/reply_form.html", context, status=403)
    closed = application.status in RtiApplication.CLOSED_STATUSES
    form = ReplyForm(
        request.POST if request.method == "POST" else None,
        document_choices=reply_document_choices(viewer_of(request), application),
    )
    if request.method == "POST" and form.is_valid():
        try:
            rti_reply(
                actor=Actor.from_request(request, post_id=post_id),
                application=application,
                **form.cleaned_data,
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("The reply is recorded; its PDF and zip are being prepared."))
            return redirect(f"{application_url(application.pk)}#replies")
    if request.method != "POST":
        rti_view_record(
            actor=Actor.from_request(request, post_id=post_id), application=application, page="reply"
        )
    context |= {"form": form, "closed": closed}
    return render(request, "core/rti/reply_form.html", context)


def _reply_or_404(application: RtiApplication, reply_id, **status) -> RtiReply:
    """The application's reply ``reply_id`` (in ``status`` if given); 404 if it is not one."""
    reply_id = id_or_none(reply_id)
    reply = (
        RtiReply.objects.filter(pk=reply_id, application=application, **status).first() if reply_id else None
    )
    if reply is None:
        raise Http404
    return reply


@item_or_404(rti_for, "POST")
def reply_retry(request, application: RtiApplication, reply_id: int):
    """Make a failed reply's PDF and zip again (the PIO, once the cause is put right), then back to
    the application's replies with what was done or why not. Anyone else who sees the application
    gets 403, as on the reply form."""
    reply = _reply_or_404(application, reply_id)
    post_id = rti_pio_post_id(viewer_of(request), application)
    if post_id is None:
        raise PermissionDenied
    try:
        rti_reply_bundle_retry(actor=Actor.from_request(request, post_id=post_id), reply=reply)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The reply's PDF and zip are being made again."))
    return redirect(f"{application_url(application.pk)}#replies")


def _download(request, application: RtiApplication, reply_id, what: str):
    reply = _reply_or_404(application, reply_id, status=RtiReply.Status.READY)
    reply.application = application
    stored, _sha = REPLY_FILES[what]
    path = stored_or_404(getattr(reply, stored))
    rti_reply_download_record(
        actor=Actor.from_request(request), reply=reply, what=what, viewer=viewer_of(request)
    )
    filename = f"{reply_file_stem(reply)}.{what}"
    return stored_serve(path, content_type=CONTENT_TYPES[what], filename=filename, as_attachment=True)


@item_or_404(rti_for, "GET")
def reply_pdf(request, application: RtiApplication, reply_id: int):
    """The reply as one PDF (letter, then each disclosed document), once ready."""
    return _download(request, application, reply_id, "pdf")


@item_or_404(rti_for, "GET")
def reply_zip(request, application: RtiApplication, reply_id: int):
    """The zip of the letter and the disclosed originals, once ready."""
    return _download(request, application, reply_id, "zip")
