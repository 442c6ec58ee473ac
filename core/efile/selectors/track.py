"""A file's (or a receipt's) way through the offices, and its history from the audit trail.

Callers have already checked that the viewer may see the item (``file_for`` / ``receipt_for``):
the track and history of an item are shown to exactly those who may see it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.utils import timezone

from core.efile.access import Viewer
from core.efile.services.tracking import LEAVING
from core.models import (
    AuditEvent,
    Dispatch,
    Document,
    DocumentVersion,
    Draft,
    EFile,
    Movement,
    Note,
    Post,
    Receipt,
)
from tenants.models import User

HISTORY_PAGE_SIZE = 50

# Steps after which the item lies at a (possibly new) post: the start of a stay there.
ARRIVING = LEAVING | {Movement.Action.CREATED, Movement.Action.REOPENED}


@dataclass
class TrackStep:
    """One movement, and for a step that brought the item to a post, how long it stayed there."""

    movement: Movement
    held_for: datetime.timedelta | None = None
    current: bool = False


@dataclass
class PostStay:
    """A post the item has been at, with the total time it lay there (all its stays together)."""

    post: Post
    held_for: datetime.timedelta = field(default_factory=datetime.timedelta)
    stays: int = 0


@dataclass
class Track:
    steps: list[TrackStep]
    posts: list[PostStay]
    now_at: Post
    closed: bool


def item_track(item: EFile | Receipt, *, now: datetime.datetime | None = None) -> Track:
    """Every movement of the item in order (from → to, who sent, who took it in, when) and how long
    each post held it: a stay runs from the step that brought the item to a post (or reopened it
    there) until the step that took it away or closed it, or until now. One query."""
    now = now or timezone.now()
    owner = {"file": item} if isinstance(item, EFile) else {"receipt": item}
    movements = list(
        Movement.objects.filter(**owner)
        .select_related("from_post__office", "to_post__office", "by", "received_by")
        .order_by("at", "id")
    )
    closed = item.closed_at is not None
    steps = [TrackStep(movement=m) for m in movements]
    stays: dict[int, PostStay] = {}
    open_stay: TrackStep | None = None

    def end_stay(until: datetime.datetime) -> None:
        open_stay.held_for = max(until - open_stay.movement.at, datetime.timedelta())
        post = open_stay.movement.to_post
        stay = stays.setdefault(post.pk, PostStay(post=post))
        stay.held_for += open_stay.held_for
        stay.stays += 1

    for step in steps:
        action = step.movement.action
        if open_stay is not None and (action in ARRIVING or action == Movement.Action.CLOSED):
            end_stay(step.movement.at)
            open_stay = None
        if action in ARRIVING:
            open_stay = step
    if open_stay is not None:
        open_stay.current = True
        end_stay(now)
    return Track(steps=steps, posts=list(stays.values()), now_at=item.current_post, closed=closed)


def _ids(queryset) -> list[str]:
    return [str(pk) for pk in queryset.values_list("pk", flat=True)]


def file_history_page(file: EFile, number=None) -> Page:
    """The audit events of the file and of its notes, drafts, documents (and their versions),
    receipts put in it and letters sent from it, oldest first, 50 a page.

    Each target kind is one lookup on the trail's ``(target_type, target_id)`` index."""
    documents = Document.objects.filter(file=file)
    targets = {
        "efile": [str(file.pk)],
        "note": _ids(Note.objects.filter(file=file)),
        "draft": _ids(Draft.objects.filter(file=file)),
        "document": _ids(documents),
        "documentversion": _ids(DocumentVersion.objects.filter(document__in=documents)),
        "receipt": _ids(Receipt.objects.filter(file=file)),
        "dispatch": _ids(Dispatch.objects.filter(file=file)),
    }
    q = Q(pk__in=[])
    for target_type, ids in targets.items():
        if ids:
            q |= Q(target_type=target_type, target_id__in=ids)
    events = AuditEvent.objects.filter(q).order_by("id")
    page = Paginator(events, HISTORY_PAGE_SIZE).get_page(number)
    page.object_list = list(page.object_list)
    _name_people_and_posts(page.object_list)
    return page


def _name_people_and_posts(events) -> None:
    """Put ``person`` and ``post`` on each event of a page (one query each; the trail keeps ids)."""
    people = User.objects.in_bulk({e.person_id for e in events if e.person_id})
    posts = Post.objects.select_related("office").in_bulk({e.post_id for e in events if e.post_id})
    for event in events:
        event.person = people.get(event.person_id)
        event.post = posts.get(event.post_id)


@dataclass
class FileActions:
    """What the viewer may do with the file now (the services check again when it is done)."""

    receive: bool = False
    send: bool = False
    return_to: Post | None = None
    park: bool = False
    unpark: bool = False
    close: bool = False
    reopen: bool = False

    @property
    def any(self) -> bool:
        return any((self.receive, self.send, self.return_to, self.park, self.unpark, self.close, self.reopen))


def file_actions(file: EFile, viewer: Viewer) -> FileActions:
    """The movement actions to offer on the file's page: a holder of its post may receive, send,
    return (to the post it came from), park or close an open file, take up or close a parked one,
    and reopen a closed one; a supervisor over the post's office may reopen it too."""
    from core.efile.services.movement import file_came_from

    holder = viewer.holds(file.current_post_id)
    if file.status == EFile.Status.CLOSED:
        supervisor = viewer.district_wide or file.current_post.office_id in viewer.scope_office_ids
        return FileActions(reopen=holder or supervisor)
    if not holder:
        return FileActions()
    if file.status == EFile.Status.PARKED:
        return FileActions(unpark=True, close=True)
    came_from = file_came_from(file)
    return FileActions(
        receive=file.received_at is None,
        send=True,
        return_to=came_from if came_from is not None and came_from.closed_on is None else None,
        park=True,
        close=True,
    )
