"""The one place that moves a receipt or a file: every step is a ``Movement``, every post reached
is a ``Passage`` (which the visibility rules read), and the item's own fields say where it is.

The movement services (send, return, park, close, reopen) and the creating ones (diarise, open a
file) call ``item_arrive``; nothing else writes ``current_post``. Callers hold the item's row lock
(``select_for_update``) and write the audit event in the same transaction.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from core.efile.notifications import notify_arrived
from core.models import EFile, Movement, Note, Passage, Post, Receipt
from core.models.efile import IN_PLACE, LEAVING
from tenants.models import User


def _item_kwargs(item: EFile | Receipt) -> dict:
    if isinstance(item, EFile):
        return {"file": item}
    if isinstance(item, Receipt):
        return {"receipt": item}
    raise TypeError(f"Not a movable item: {item!r}")


def item_lock(item: EFile | Receipt) -> EFile | Receipt:
    """The item's row again, locked for the caller's transaction (fresh fields, one mover at a time).

    No joins in the locking query: a writer that waited for the lock re-checks the row after the
    holder commits, and a join on ``current_post`` (which the holder may just have changed) would
    drop the row instead of returning it moved. Related rows load afterwards, one query each.
    """
    return type(item).objects.select_for_update().get(pk=item.pk)


def item_arrive(
    *,
    item: EFile | Receipt,
    to_post: Post,
    by: User,
    action: str,
    from_post: Post | None,
    remarks: str = "",
    due_on: datetime.date | None = None,
    received: bool = False,
    notify: bool = True,
    at: datetime.datetime | None = None,
    also: dict[str, object] | None = None,
    back_entered_at: datetime.datetime | None = None,
) -> Movement:
    """Record that ``item`` now lies at ``to_post`` (sent, returned, created there, parked there …).

    ``received`` marks it taken in at once (an officer creating a file at their own post);
    otherwise it waits as new in the post's inbox. Leaving a post freezes the file's notes.
    ``notify`` tells the holders of ``to_post`` (except ``by``) on commit. ``at``: the step's
    time when the caller needs it too (default now); ``also``: other fields of the item to set (a
    status, a closing time …), in the same single UPDATE of its row. Returns the movement.

    An ``IN_PLACE`` step (park, take up, close) must be at the post where the item lies; it keeps
    the item's stay there: its arrival time and due date, and its taking-in (``received`` takes
    in an item not yet taken in, never moves the time of an earlier one). Every other step starts
    a new stay: arrival now, the step's due date, new unless ``received``.

    ``back_entered_at``: the step is brought back after an outage (``core.outage``): ``at`` is its
    true time, this the time it is entered; the movement and the item's arrival carry both.
    """
    now = at or timezone.now()
    in_place = action in IN_PLACE
    if in_place and to_post.pk != item.current_post_id:
        raise ValueError(f"A {action} step leaves the item where it lies, not at post {to_post.pk}")
    movement = Movement.objects.create(
        **_item_kwargs(item),
        action=action,
        from_post=from_post,
        to_post=to_post,
        by=by,
        at=now,
        remarks=remarks,
        due_on=due_on,
        received_at=now if received else None,
        received_by=by if received else None,
        back_entered_at=back_entered_at,
    )
    item.current_post = to_post
    if in_place:
        if received and item.received_at is None:
            item.received_at = now
    else:
        item.arrived_at = now
        item.received_at = now if received else None
        item.due_on = due_on
        item.arrival_entered_at = back_entered_at
    fields = ["current_post", "arrived_at", "received_at", "due_on", "arrival_entered_at"]
    for name, value in (also or {}).items():
        setattr(item, name, value)
        fields.append(name)
    if isinstance(item, EFile):
        item.updated_at = back_entered_at or now  # lists sort by the last change: the entry is one
        fields.append("updated_at")
    type(item).objects.filter(pk=item.pk).update(**{name: getattr(item, name) for name in fields})
    Passage.objects.bulk_create(
        [Passage(**_item_kwargs(item), post=to_post, office_id=to_post.office_id, first_at=now)],
        ignore_conflicts=True,
    )
    if isinstance(item, EFile) and action in LEAVING:
        Note.objects.filter(file=item, frozen=False).update(frozen=True)
    if notify and action in LEAVING | {Movement.Action.CREATED}:
        notify_arrived(item=item, post=to_post, exclude_person_id=by.pk)
    return movement


def item_receive(*, item: EFile | Receipt, by: User, at: datetime.datetime | None = None) -> bool:
    """A holder of the item's post takes it in (at ``at``, a back-entry's true time; default now).
    Returns False when it was already received."""
    if item.received_at is not None:
        return False
    now = at or timezone.now()
    item.received_at = now
    type(item).objects.filter(pk=item.pk).update(received_at=now)
    last = Movement.objects.filter(**_item_kwargs(item), to_post_id=item.current_post_id).order_by(
        "-at", "-id"
    )
    last.filter(pk__in=last.values("pk")[:1], received_at__isnull=True).update(
        received_at=now, received_by=by
    )
    return True


def file_touch(file: EFile) -> None:
    """Mark the file changed now (lists sort by last change)."""
    file.updated_at = timezone.now()
    EFile.objects.filter(pk=file.pk).update(updated_at=file.updated_at)
