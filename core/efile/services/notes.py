"""The noting side of a file: notes appended in order by whoever holds the file's post; a note's
author may edit it until the file moves on (``item_arrive`` freezes the notes then)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.actors import actor_viewer, as_post, require_item_held
from core.base.audit import Actor, audit_append
from core.base.text import clean_text
from core.efile.services.common import item_take_in, require_back_entry_after_arrival
from core.efile.services.tracking import file_touch, item_lock
from core.models import EFile, Note, Post

NOTE_MAX = 20000


def require_file_workable(file: EFile) -> None:
    """Refuse work on a closed file, or on a parked one until it is taken up again."""
    if file.status == EFile.Status.CLOSED:
        raise ValidationError(_("File %(number)s is closed.") % {"number": file.number}, code="closed")
    if file.status == EFile.Status.PARKED:
        raise ValidationError(
            _("File %(number)s is parked; take it up again first.") % {"number": file.number}, code="parked"
        )


def note_append(
    *,
    actor: Actor,
    file: EFile,
    post: Post,
    body: str,
    frozen: bool = False,
    occurred_at: datetime.datetime | None = None,
) -> Note:
    """Write the next note on ``file`` as ``post``. The caller holds the file's row lock (so two
    notes never get the same number) and has checked permission; the audit event is written here.
    ``occurred_at``: a note written on paper during an outage, dated then, marked back-entered now
    (it still takes the next number: the noting shows the order it was entered in)."""
    seq = (Note.objects.filter(file=file).aggregate(last=Max("seq"))["last"] or 0) + 1
    extra = {"created_at": occurred_at, "back_entered_at": timezone.now()} if occurred_at else {}
    note = Note.objects.create(
        file=file, seq=seq, body=body, author=actor.person, author_post=post, frozen=frozen, **extra
    )
    file_touch(file)
    audit_append(
        actor=as_post(actor, post),
        action="note.add",
        target=note,
        summary=f"{file.number} #{seq}",
        details={"file_id": file.pk, "seq": seq}
        | ({"occurred_at": occurred_at.isoformat(), "back_entered": True} if occurred_at else {}),
    )
    return note


@transaction.atomic
def note_add(*, actor: Actor, file: EFile, body: str, occurred_at: datetime.datetime | None = None) -> Note:
    """Append a note to an open file at the acting person's post (its holders only, additional
    charges included). Notes are numbered 1, 2, 3 … per file with no gaps. ``occurred_at``: a
    note written on paper during an outage, back-entered now (only through ``core.outage``)."""
    file = item_lock(file)
    post = require_item_held(actor, file)
    require_file_workable(file)
    if occurred_at is not None:
        require_back_entry_after_arrival(file, occurred_at)
    body = clean_text(body, field="body", max_length=NOTE_MAX)
    item_take_in(actor=actor, item=file, post=post, on="note.add", at=occurred_at)
    return note_append(actor=actor, file=file, post=post, body=body, occurred_at=occurred_at)


@transaction.atomic
def note_edit(*, actor: Actor, note: Note, body: str) -> Note:
    """Change a note's text: only its author, while they still hold the post they wrote it at, and
    only until the file moves on (a frozen note is the record and never changes)."""
    # Lock the file first, as file_send does, so a send and an edit cannot cross: either the edit
    # lands before the notes freeze, or it sees the note frozen.
    file = item_lock(note.file)
    note = Note.objects.select_for_update().get(pk=note.pk)
    if actor.person is None or note.author_id != actor.person.pk:
        raise ValidationError(_("Only the author of a note may change it."), code="not_author")
    if note.frozen:
        raise ValidationError(
            _("This note can no longer be changed: the file has moved on since."), code="frozen"
        )
    if not actor_viewer(actor).holds(note.author_post_id):
        raise ValidationError(
            _("You no longer hold the post this note was written at."), code="not_your_post"
        )
    require_file_workable(file)
    body = clean_text(body, field="body", max_length=NOTE_MAX)
    if body == note.body:
        return note
    old = note.body
    note.body = body
    note.edited_at = timezone.now()
    note.save(update_fields=["body", "edited_at"])
    file_touch(file)
    audit_append(
        actor=as_post(actor, note.author_post_id),
        action="note.edit",
        target=note,
        summary=f"{file.number} #{note.seq}",
        details={"file_id": file.pk, "seq": note.seq, "before": old},
    )
    return note
