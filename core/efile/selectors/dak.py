"""Reads for the dak pages: the viewer's own desks, a receipt's track, and the inward and
outward registers, each filtered by who may see what (``core.efile.access``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.efile.access import Viewer, files_visible, receipts_visible
from core.models import Dispatch, EFile, Movement, Office, Post, Receipt
from core.selectors import office_tree

# A register page shows at most this many rows; past it the page asks for a narrower range.
REGISTER_LIMIT = 1000


def desk_posts(viewer: Viewer) -> list[Post]:
    """The open posts the viewer holds today that can work on dak and files (not the district
    admin's post: the role administers and does not work on files), in open offices."""
    if not viewer.post_ids:
        return []
    return list(
        Post.objects.filter(pk__in=viewer.post_ids, closed_on__isnull=True)
        .exclude(kind=Post.Kind.DISTRICT_ADMIN)
        .exclude(office__status=Office.Status.CLOSED)
        .select_related("office")
        .order_by("office__name", "title", "id")
    )


def files_at_posts(viewer: Viewer, *, limit: int = 200) -> list[EFile]:
    """Files lying at the viewer's posts and being worked on (neither closed nor parked: dak put
    into those is refused, as ``receipt_attach`` says), latest change first (to put dak into)."""
    if not viewer.post_ids:
        return []
    return list(
        files_visible(viewer)
        .filter(current_post_id__in=viewer.post_ids, status=EFile.Status.OPEN)
        .order_by("-updated_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class TrackRow:
    movement: Movement
    left_at: datetime.datetime | None  # when the next step took it on; None: still there


def receipt_track(receipt: Receipt) -> list[TrackRow]:
    """Every step of a receipt (callers checked the viewer may see it), oldest first, each with
    how long the receipt stayed at the post it reached, up to the next step."""
    movements = list(
        Movement.objects.filter(receipt=receipt)
        .select_related("from_post__office", "to_post__office", "by", "received_by")
        .order_by("at", "id")
    )
    rows = []
    for index, movement in enumerate(movements):
        following = movements[index + 1] if index + 1 < len(movements) else None
        rows.append(TrackRow(movement=movement, left_at=following.at if following else None))
    return rows


def register_offices(viewer: Viewer) -> list[Office]:
    """Offices whose registers the viewer may open: those of their posts and those they supervise
    (every office for the SP). Rows are still filtered one by one."""
    offices = [row.office for row in office_tree()]
    if viewer.district_wide:
        return offices
    mine = set(viewer.scope_office_ids) | set(
        Post.objects.filter(pk__in=viewer.post_ids).values_list("office_id", flat=True)
    )
    return [office for office in offices if office.pk in mine]


def inward_register(
    viewer: Viewer, *, date_from: datetime.date, date_to: datetime.date, office: Office | None = None
) -> QuerySet[Receipt]:
    """Receipts diarised between the two dates (by date of receipt), in diary order, that the
    viewer may see; one office's, or every office's the viewer sees."""
    rows = receipts_visible(viewer).filter(received_on__gte=date_from, received_on__lte=date_to)
    if office is not None:
        rows = rows.filter(office=office)
    return rows.select_related("office", "current_post", "file").order_by("office__name", "year", "serial")


def dispatch_visible_q(viewer: Viewer) -> Q:
    """Outward dak the viewer may see: entered at one of their posts, sent from a file they may
    see, or (not from a file) entered in an office they supervise."""
    if viewer.district_wide:
        return Q()
    if not viewer.sees_anything:
        return Q(pk__in=[])
    q = Q(created_post_id__in=viewer.post_ids) | Q(file__in=files_visible(viewer).values("pk"))
    if viewer.scope_office_ids:
        q |= Q(file__isnull=True, office_id__in=viewer.scope_office_ids)
    return q


def outward_register(
    viewer: Viewer, *, date_from: datetime.date, date_to: datetime.date, office: Office | None = None
) -> QuerySet[Dispatch]:
    """Outward entries between the two dates (by date sent), in number order, that the viewer may see."""
    rows = Dispatch.objects.filter(dispatch_visible_q(viewer)).filter(
        dispatched_on__gte=date_from, dispatched_on__lte=date_to
    )
    if office is not None:
        rows = rows.filter(office=office)
    return rows.select_related("office", "file", "created_post").order_by("office__name", "year", "serial")


def register_default_range() -> tuple[datetime.date, datetime.date]:
    """The last 30 days up to today."""
    today = timezone.localdate()
    return today - datetime.timedelta(days=30), today
