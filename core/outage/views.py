"""Outage pages under ``/outages/``: the list, declaring (district admin or SP), one outage's
report with its end, its paper registers (PDF), and the three back-entry forms. Thin: forms check
shape, ``core.outage.services`` decide, ``core.outage.access`` says who sees which outage (404
for anyone else, the anonymous included, as for every item with an id)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.base.access import viewer_of
from core.base.audit import Actor
from core.base.form_errors import service_errors
from core.base.http import item_view
from core.base.uploads.limits import upload_errors
from core.efile.selectors.posts import post_choices
from core.models import EFile, Office
from core.outage import desk
from core.outage.access import manager_post, office_ids_of, outage_for
from core.outage.forms import BackDakForm, BackMoveForm, BackNoteForm, DeclareForm, EndForm
from core.outage.register import register_pdf
from core.outage.selectors import outage_list, outage_report
from core.outage.services import (
    outage_dak_back_enter,
    outage_declare,
    outage_end,
    outage_movement_back_enter,
    outage_note_back_enter,
    outage_register_record,
    outage_view_record,
)
from core.templatetags.karyalay import bilingual
from core.uploads.claim import request_files


def _outage_or_404(request, outage_id):
    if not request.user.is_authenticated:
        raise Http404
    outage = outage_for(request.user, outage_id)
    if outage is None:
        raise Http404
    return outage


@login_required
@require_GET
def outage_list_page(request):
    manager = manager_post(request.user)
    if manager is None and not office_ids_of(request.user):
        raise Http404
    return render(
        request, "core/outage/list.html", {"outages": outage_list(request.user), "manager": manager}
    )


@login_required
def declare_page(request):
    post = manager_post(request.user)
    if post is None:
        raise PermissionDenied
    offices = [
        (o.pk, bilingual(o)) for o in Office.objects.exclude(status=Office.Status.CLOSED).order_by("name")
    ]
    form = DeclareForm(request.POST if request.method == "POST" else None, offices=offices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        office = Office.objects.filter(pk=data["office"]).first() if data["office"] else None
        try:
            outage = outage_declare(
                actor=Actor.from_request(request, post_id=post.pk),
                office=office,
                started_at=data["started_at"],
                reason=data["reason"],
                diary_count=data["diary_count"],
                slip_count=data["slip_count"],
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Outage declared; print the paper registers below."))
            return redirect("outage", outage_id=outage.pk)
    return render(request, "core/outage/declare.html", {"form": form})


@item_view
@require_GET
def outage_page(request, outage_id: int):
    outage = _outage_or_404(request, outage_id)
    manager = manager_post(request.user)
    outage_view_record(
        actor=Actor.from_request(request, post_id=manager.pk if manager else None), outage=outage
    )
    context = {
        "outage": outage,
        "report": outage_report(outage),
        "manager": manager,
        "end_form": EndForm() if manager and outage.ended_at is None else None,
    }
    return render(request, "core/outage/outage.html", context)


@item_view
@require_POST
def end(request, outage_id: int):
    outage = _outage_or_404(request, outage_id)
    post = manager_post(request.user)
    if post is None:
        raise PermissionDenied
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            outage_end(
                actor=Actor.from_request(request, post_id=post.pk),
                outage=outage,
                ended_at=form.cleaned_data["ended_at"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The outage's end is recorded."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("outage", outage_id=outage.pk)


@item_view
@require_GET
def register(request, outage_id: int, kind: str):
    outage = _outage_or_404(request, outage_id)
    if kind not in ("diary", "slip"):
        raise Http404
    outage_register_record(actor=Actor.from_request(request), outage=outage, kind=kind)
    response = HttpResponse(register_pdf(outage, kind=kind), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="outage-{outage.pk}-{kind}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _scans(request, form, files, not_there) -> list | None:
    """The scanned pages sent with the form (plain uploads and finished resumable ones), or None
    (and the refusal on the form) when the upload handler refused one (too large) or a resumable
    upload named is no longer on the server."""
    refused = upload_errors(request) + not_there
    if refused:
        for message in refused:
            form.add_error(None, message)
        return None
    return files.getlist("scans")


def _back_entry(request, outage_id, *, template, make_form, run):
    """What the three back-entry pages share: the outage (404), the form, the scans, the service."""
    outage = _outage_or_404(request, outage_id)
    viewer = viewer_of(request)
    context = desk.desk_for(request.user, outage, viewer)
    if not context.posts:
        raise Http404  # no post in an office this outage covers
    files, not_there = request_files(request) if request.method == "POST" else (None, [])
    form = make_form(request.POST if request.method == "POST" else None, files or None, context)
    if request.method == "POST" and form.is_valid():
        scans = _scans(request, form, files, not_there)
        if scans is not None:
            try:
                done = run(outage, form.cleaned_data, scans, context)
            except ValidationError as error:
                service_errors(form, error)
            else:
                messages.success(request, done)
                return redirect("outage", outage_id=outage.pk)
    return render(request, template, {"outage": outage, "form": form})


@item_view
def back_dak(request, outage_id: int):
    def make(data, files, context):
        return BackDakForm(data, files, posts=context.posts)

    def run(outage, data, scans, context):
        post = context.post(data["post"])
        receipt = outage_dak_back_enter(
            actor=Actor.from_request(request, post_id=post.pk),
            outage=outage,
            post=post,
            number=data["number"],
            occurred_at=data["occurred_at"],
            mode=data["mode"],
            sender=data["sender"],
            subject=data["subject"],
            letter_reference=data["letter_reference"],
            uploads=scans,
        )
        return _("Back-entered as %(number)s.") % {"number": receipt.diary_number}

    return _back_entry(request, outage_id, template="core/outage/back_dak.html", make_form=make, run=run)


@item_view
def back_note(request, outage_id: int):
    def make(data, files, context):
        return BackNoteForm(data, files, files=context.file_options)

    def run(outage, data, scans, context):
        file = context.file(data["file"])
        note = outage_note_back_enter(
            actor=Actor.from_request(request, post_id=file.current_post_id),
            outage=outage,
            file=file,
            body=data["body"],
            occurred_at=data["occurred_at"],
            uploads=scans,
        )
        return _("Note #%(seq)d back-entered on %(number)s.") % {"seq": note.seq, "number": file.number}

    return _back_entry(request, outage_id, template="core/outage/back_note.html", make_form=make, run=run)


@item_view
def back_move(request, outage_id: int):
    viewer = viewer_of(request)

    def make(data, files, context):
        return BackMoveForm(data, files, items=context.item_options, to_posts=post_choices(viewer=viewer))

    def run(outage, data, scans, context):
        item = context.item(data["item"])
        to_post = context.to_post(data["to_post"])
        outage_movement_back_enter(
            actor=Actor.from_request(request, post_id=item.current_post_id),
            outage=outage,
            item=item,
            to_post=to_post,
            number=data["number"],
            occurred_at=data["occurred_at"],
            remarks=data["remarks"],
            uploads=scans,
        )
        number = item.number if isinstance(item, EFile) else item.diary_number
        return _("Movement of %(number)s back-entered.") % {"number": number}

    return _back_entry(request, outage_id, template="core/outage/back_move.html", make_form=make, run=run)
