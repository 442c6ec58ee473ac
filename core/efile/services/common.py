"""What every e-File service shares beyond the foundation's actor helpers (``core.base.actors``):
taking an item in, sending it, and the refusals particular to moving files and dak."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.base.actors import as_post, require_open_post
from core.base.audit import Actor, audit_append
from core.base.holders import post_holding_list
from core.base.names import name_in_language
from core.base.text import clean_text
from core.efile.services.tracking import item_arrive, item_receive
from core.models import EFile, Movement, Post, Receipt


def item_take_in(
    *, actor: Actor, item: EFile | Receipt, post: Post, on: str, at: datetime.datetime | None = None
) -> None:
    """Acting on an item (a note, a send, a return, parking, closing, a draft …) is taking it in:
    an item not yet taken in at ``post`` is marked taken in by the actor, and the taking-in is
    audited (``file.receive`` / ``receipt.receive``, with the action that did it as ``on``), so the
    track never shows "not yet taken in" for an officer who worked on it. The caller holds the
    item's row lock and has checked that the actor holds ``post``; nothing happens when it was
    already taken in. ``at``: a back-entered action's true time (``core.outage``)."""

    if not item_receive(item=item, by=actor.person, at=at):
        return
    if isinstance(item, EFile):
        action, number = "file.receive", item.number
    else:
        action, number = "receipt.receive", item.diary_number
    audit_append(actor=as_post(actor, post), action=action, target=item, summary=number, details={"on": on})


def require_post_held_by_someone(post: Post) -> None:
    """Refuse to send to a post nobody holds today (no posting, not even an additional charge):
    the file or dak would lie there with nobody to take it in."""
    if not post_holding_list(post_ids=[post.pk]).exists():
        message = _(
            "%(post)s is vacant: nobody holds it today, not even under additional charge, so nobody "
            "would take it in. Send it to another post, or ask the district admin to post someone there."
        ) % {"post": name_in_language(post, "title")}
        raise ValidationError({"to_post": [ValidationError(message, code="vacant")]})


# The longest remarks on a movement (sending, marking, parking, closing), in forms and services.
REMARKS_MAX = 2000


def item_send(
    *,
    actor: Actor,
    item: EFile | Receipt,
    from_post: Post,
    to_post: Post,
    remarks: str,
    due_on: datetime.date | None,
    already_here: str,
    audit_action: str,
    occurred_at: datetime.datetime | None = None,
) -> None:
    """What sending a file and marking dak share, once the caller has locked the item and checked
    that the actor holds it and that it is open: the target post is open, another and held by
    someone today (``require_post_held_by_someone``), the due date is not past, the remarks fit;
    then the step and its audit event (as ``from_post``).

    ``occurred_at``: the step was taken on paper during an outage and is brought back now
    (``core.outage`` checks the outage): the step is dated then, marked back-entered now, and may
    not be earlier than the item's arrival at ``from_post``; its due date counts from then."""

    require_open_post(to_post)
    if to_post.pk == from_post.pk:
        raise ValidationError({"to_post": [already_here]})
    require_post_held_by_someone(to_post)
    day = timezone.localdate(occurred_at) if occurred_at else timezone.localdate()
    if due_on and due_on < day:
        raise ValidationError({"due_on": [_("The due date cannot be in the past.")]})
    entered_at = None
    if occurred_at is not None:
        entered_at = timezone.now()
        require_back_entry_after_arrival(item, occurred_at)
    remarks = clean_text(remarks, field="remarks", required=False, max_length=REMARKS_MAX)
    item_take_in(actor=actor, item=item, post=from_post, on=audit_action, at=occurred_at)
    item_arrive(
        item=item,
        to_post=to_post,
        by=actor.person,
        action=Movement.Action.SENT,
        from_post=from_post,
        remarks=remarks,
        due_on=due_on,
        at=occurred_at,
        back_entered_at=entered_at,
    )
    number = item.number if isinstance(item, EFile) else item.diary_number
    audit_append(
        actor=as_post(actor, from_post),
        action=audit_action,
        target=item,
        summary=f"{number} → {to_post.title}",
        details={"to_post": to_post.pk, "remarks": remarks, "due_on": due_on.isoformat() if due_on else None}
        | ({"occurred_at": occurred_at.isoformat(), "back_entered": True} if occurred_at else {}),
    )


def require_back_entry_after_arrival(item: EFile | Receipt, occurred_at: datetime.datetime) -> None:
    """A back-entered step cannot come before the item reached the post it leaves from (its track
    would run backwards), nor lie in the future."""
    if occurred_at > timezone.now():
        raise ValidationError({"occurred_at": [_("The true time cannot be in the future.")]})
    if occurred_at < item.arrived_at:
        when = date_format(timezone.localtime(item.arrived_at), "DATETIME_FORMAT")
        raise ValidationError(
            {
                "occurred_at": [
                    _("It reached this post only at %(when)s; the step cannot be earlier.") % {"when": when}
                ]
            }
        )
