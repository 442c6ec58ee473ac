"""Pages of letters between districts: the list, sending a letter, a delivered letter to diarise.
(The signing and verification pages are in ``views_signing``.)"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.base.access import viewer_of
from core.base.actors import actor_for
from core.base.http import item_or_404
from core.letters import selectors
from core.letters.circular import circular_send
from core.letters.diarise import incoming_letter_diarise
from core.letters.directory import directory_choices
from core.letters.file_up import file_snapshot_read
from core.letters.send import letter_send
from core.letters.snapshot import snapshot_for_page
from core.supervision.selectors import supervises


@login_required
def letters_index(request):
    viewer = viewer_of(request)
    if not viewer.post_ids:
        raise Http404
    return render(
        request,
        "core/letters/index.html",
        {
            "incoming": selectors.incoming_list(viewer)[:100],
            "outgoing": selectors.outgoing_list(viewer)[:100],
            "sendable": selectors.sendable_list(viewer)[:50],
            "circulars": selectors.circular_list(viewer)[:50],
        },
    )


def _errors(error: ValidationError) -> list[str]:
    return (
        [m for ms in error.message_dict.values() for m in ms]
        if hasattr(error, "error_dict")
        else error.messages
    )


@item_or_404(selectors.sendable_for)
def letter_send_view(request, dispatch):
    viewer = viewer_of(request)
    choices = directory_choices(exclude_schema=request.tenant.schema_name)
    errors: list[str] = []
    if request.method == "POST":
        posts = selectors.viewer_posts_in(viewer, dispatch.office_id)
        try:
            to_office_id = int(request.POST.get("to_office", ""))
            reply_id = int(request.POST.get("in_reply_to") or 0)
        except ValueError:
            errors = [_("Choose an office from the list.")]
        else:
            in_reply_to = selectors.replyable_list(viewer).filter(pk=reply_id).first() if reply_id else None
            try:
                if reply_id and in_reply_to is None:
                    raise ValidationError(_("Choose the letter answered from the list."))
                letter = letter_send(
                    actor=actor_for(request, post_id=posts[0].pk),
                    post=posts[0],
                    dispatch=dispatch,
                    to_office_id=to_office_id,
                    in_reply_to=in_reply_to,
                )
            except ValidationError as error:
                errors = _errors(error)
            else:
                messages.success(
                    request, _("Letter %(number)s sent through Karyalay.") % {"number": dispatch.number}
                )
                return redirect("letters_outgoing", letter.pk)
    return render(
        request,
        "core/letters/send.html",
        {
            "dispatch": dispatch,
            "choices": choices,
            "replyable": selectors.replyable_list(viewer)[:50],
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@item_or_404(selectors.sendable_for)
def circular_send_view(request, dispatch):
    """A range office's or headquarters' outward letter sent to many offices at once."""
    if not supervises(request.tenant):
        raise Http404
    viewer = viewer_of(request)
    choices = directory_choices(exclude_schema=request.tenant.schema_name)
    errors: list[str] = []
    if request.method == "POST":
        posts = selectors.viewer_posts_in(viewer, dispatch.office_id)
        try:
            ids = [int(value) for value in request.POST.getlist("to_offices")]
        except ValueError:
            errors = [_("Choose offices from the list.")]
        else:
            try:
                circular = circular_send(
                    actor=actor_for(request, post_id=posts[0].pk),
                    post=posts[0],
                    dispatch=dispatch,
                    to_office_ids=ids,
                )
            except ValidationError as error:
                errors = _errors(error)
            else:
                messages.success(
                    request,
                    _("Circular %(number)s sent to %(count)d offices.")
                    % {"number": dispatch.number, "count": circular.letters.count()},
                )
                return redirect("letters_circular", circular.pk)
    return render(
        request,
        "core/letters/circular_send.html",
        {"dispatch": dispatch, "choices": choices, "errors": errors},
        status=400 if errors else 200,
    )


@item_or_404(selectors.circular_for, method="GET")
def circular_view(request, circular):
    letters = list(circular.letters.order_by("to_district_name", "to_office_name"))
    return render(
        request,
        "core/letters/circular.html",
        {
            "circular": circular,
            "dispatch": circular.dispatch,
            "letters": letters,
            "diarised": sum(1 for letter in letters if letter.diarised_at),
            "replied": sum(1 for letter in letters if letter.replied_at),
        },
    )


@item_or_404(selectors.outgoing_for, method="GET")
def outgoing_view(request, letter):
    return render(request, "core/letters/outgoing.html", {"letter": letter, "dispatch": letter.dispatch})


@item_or_404(selectors.incoming_for, method="GET")
def incoming_view(request, letter):
    if letter.file_snapshot:  # a file sent up: each reading is in this tenant's trail
        posts = selectors.viewer_posts_in(viewer_of(request), letter.office_id)
        file_snapshot_read(actor=actor_for(request, post_id=posts[0].pk), post=posts[0], incoming=letter)
    return render(
        request,
        "core/letters/incoming.html",
        {"letter": letter, "snapshot": snapshot_for_page(letter.file_snapshot)},
    )


@item_or_404(selectors.incoming_for, method="POST")
def incoming_diarise_view(request, letter):
    posts = selectors.viewer_posts_in(viewer_of(request), letter.office_id)
    try:
        receipt = incoming_letter_diarise(
            actor=actor_for(request, post_id=posts[0].pk), post=posts[0], incoming=letter
        )
    except ValidationError as error:
        return render(
            request,
            "core/letters/incoming.html",
            {"letter": letter, "snapshot": snapshot_for_page(letter.file_snapshot), "errors": _errors(error)},
            status=400,
        )
    messages.success(request, _("Diarised as %(number)s.") % {"number": receipt.diary_number})
    return redirect("efile_receipt", receipt.pk)
