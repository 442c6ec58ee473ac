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

from core.base.access import Viewer
from core.efile.services.movement import file_came_from
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
    page = Paginator(history_lines(list(events)), HISTORY_PAGE_SIZE).get_page(number)
    page.object_list = list(page.object_list)
    _name_people_and_posts(page.object_list)
    return page


# Reading actions: one person's repeated reads of the same thing within an hour show as one line.
READS = frozenset(
    {"file.view", "file.track", "file.history", "receipt.view", "document.preview", "register.view"}
)
FOLD_WITHIN = datetime.timedelta(hours=1)


def history_lines(events: list[AuditEvent]) -> list[AuditEvent]:
    """The events as the history shows them, oldest first: a read (``READS``) by the same person of
    the same thing with the same action, within an hour of the first read of its line and with no
    other step by anyone in between, joins that line (``times`` counts the reads, ``last_at`` is
    the latest). Every other event is a line of its own. The audit trail keeps every event; only
    the page folds them."""
    lines: list[AuditEvent] = []
    open_reads: dict[tuple, AuditEvent] = {}
    for event in events:
        event.times, event.last_at = 1, event.at
        if event.action not in READS or event.person_id is None:
            open_reads.clear()
            lines.append(event)
            continue
        key = (event.person_id, event.post_id, event.action, event.target_type, event.target_id)
        line = open_reads.get(key)
        if line is not None and event.at - line.at <= FOLD_WITHIN:
            line.times += 1
            line.last_at = event.at
            continue
        open_reads[key] = event
        lines.append(event)
    return lines


def _to_post_id(event) -> int | None:
    """The post an event sent or brought the item to (``to_post``, a reopening's ``at_post``)."""
    details = event.details if isinstance(event.details, dict) else {}
    post_id = details.get("to_post") or details.get("at_post")
    return post_id if isinstance(post_id, int) else None


def _name_people_and_posts(events) -> None:
    """Put ``person``, ``post`` and ``to_post`` (where the event sent the item, named in the
    reader's language by the page) on each event of a page (one query each; the trail keeps ids)."""
    people = User.objects.in_bulk({e.person_id for e in events if e.person_id})
    post_ids = {e.post_id for e in events if e.post_id} | {_to_post_id(e) for e in events} - {None}
    posts = Post.objects.select_related("office").in_bulk(post_ids)
    for event in events:
        event.person = people.get(event.person_id)
        event.post = posts.get(event.post_id)
        event.to_post = posts.get(_to_post_id(event))
        # The stored summary names the post in English (``VAI/1 → SDPO Mahua``): keep its first part.
        event.summary_head = event.summary.split(" → ")[0] if event.to_post else event.summary


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
