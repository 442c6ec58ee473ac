"""Reads for the dak pages: the viewer's own desks, a receipt's track, and the inward and
outward registers, each filtered by who may see what (``core.base.access``)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from core.base.access import Viewer, dispatch_visible_q, files_visible, receipts_visible
from core.efile.selectors.posts import desk_posts
from core.efile.selectors.track import Track, item_track
from core.models import Dispatch, EFile, Office, Post, Receipt
from core.org.selectors.offices import TreeRow, office_tree

# A register page shows at most this many rows; past it the page asks for a narrower range.
REGISTER_LIMIT = 1000

# Read here by the dak views; defined with the rule (access) and the other post pickers (posts).
__all__ = [
    "REGISTER_LIMIT",
    "desk_posts",
    "dispatch_visible_q",
    "files_at_posts",
    "inward_register",
    "outward_register",
    "receipt_track",
    "register_default_range",
    "register_office_rows",
    "register_offices",
]


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


def receipt_track(receipt: Receipt) -> Track:
    """Every step of a receipt and how long each post held it (``item_track``; callers checked
    the viewer may see it)."""
    return item_track(receipt)


def register_office_rows(viewer: Viewer) -> list[TreeRow]:
    """Offices whose registers the viewer may open, in the office tree's order with their depth:
    those of their posts and those they supervise (every office for the SP). Rows are still
    filtered one by one. The dak and the file registers both offer these."""
    rows = office_tree()
    if viewer.district_wide:
        return rows
    mine = set(viewer.scope_office_ids) | set(
        Post.objects.filter(pk__in=viewer.post_ids).values_list("office_id", flat=True)
    )
    return [row for row in rows if row.office.pk in mine]


def register_offices(viewer: Viewer) -> list[Office]:
    """The offices of ``register_office_rows``."""
    return [row.office for row in register_office_rows(viewer)]


def inward_register(
    viewer: Viewer, *, date_from: datetime.date, date_to: datetime.date, office: Office | None = None
) -> QuerySet[Receipt]:
    """Receipts diarised between the two dates (by date of receipt), in diary order, that the
    viewer may see; one office's, or every office's the viewer sees."""
    rows = receipts_visible(viewer).filter(received_on__gte=date_from, received_on__lte=date_to)
    if office is not None:
        rows = rows.filter(office=office)
    return rows.select_related("office", "current_post", "file").order_by("office__name", "year", "serial")


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
