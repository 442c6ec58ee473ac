"""Moving files between posts: send, receive (and, in this module, every other step of a file's
way: return, park, close, reopen)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import Actor, audit_append
from core.efile.services.common import as_post, clean_text, require_item_held, require_open_post
from core.efile.services.tracking import item_arrive, item_lock, item_receive
from core.models import EFile, Movement, Post


def _require_open(file: EFile) -> None:
    if file.status == EFile.Status.CLOSED:
        raise ValidationError(_("File %(number)s is closed.") % {"number": file.number}, code="closed")
    if file.status == EFile.Status.PARKED:
        raise ValidationError(
            _("File %(number)s is parked; take it up again first.") % {"number": file.number}, code="parked"
        )


@transaction.atomic
def file_send(
    *,
    actor: Actor,
    file: EFile,
    to_post: Post,
    remarks: str = "",
    due_on: datetime.date | None = None,
) -> EFile:
    """Send a file that is at the acting person's post to another post (not a person), with
    remarks and an optional due date. The notes written so far freeze; the file waits at the post,
    new, for whoever holds it, and its holders are told."""
    file = item_lock(file)
    from_post = require_item_held(actor, file)
    _require_open(file)
    require_open_post(to_post)
    if to_post.pk == from_post.pk:
        raise ValidationError({"to_post": [_("The file is already at this post.")]})
    if due_on and due_on < timezone.localdate():
        raise ValidationError({"due_on": [_("The due date cannot be in the past.")]})
    remarks = clean_text(remarks, field="remarks", required=False)
    item_arrive(
        item=file,
        to_post=to_post,
        by=actor.person,
        action=Movement.Action.SENT,
        from_post=from_post,
        remarks=remarks,
        due_on=due_on,
    )
    audit_append(
        actor=as_post(actor, from_post),
        action="file.send",
        target=file,
        summary=f"{file.number} → {to_post.title}",
        details={"to_post": to_post.pk, "remarks": remarks, "due_on": due_on.isoformat() if due_on else None},
    )
    return file


@transaction.atomic
def file_receive(*, actor: Actor, file: EFile) -> EFile:
    """A holder of the post the file waits at takes it in (it stops showing as new)."""
    file = item_lock(file)
    post = require_item_held(actor, file)
    if item_receive(item=file, by=actor.person):
        audit_append(actor=as_post(actor, post), action="file.receive", target=file, summary=file.number)
    return file
