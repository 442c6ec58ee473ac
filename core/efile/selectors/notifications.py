"""A person's notifications: the list page and the header's unread count."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

from core.base.access import Viewer
from core.base.notifications import notice_kind, notice_kinds
from core.models import Notification

PAGE_SIZE = 50


def unread_count(person_id: int | None) -> int:
    """Unread notifications of the person (the ``(person, read_at)`` index answers it)."""
    if person_id is None:
        return 0
    return Notification.objects.filter(person_id=person_id, read_at__isnull=True).count()


def notifications_page(viewer: Viewer, number=None) -> Page:
    """The viewer's notifications, newest first, 50 a page. Each row says whether its item is
    still visible to the viewer (``visible``; each kind of item as its area registered it with
    ``core.base.notifications``) and where it is (``item_url``): after a transfer, a file left with
    the old post is named by number only and not linked, its subject not shown."""
    rows = (
        Notification.objects.filter(person_id=viewer.person_id)
        .select_related("post__office", "file", "receipt", "rti")
        .order_by("-created_at", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(number)
    page.object_list = list(page.object_list)
    seen = {}
    for kind in notice_kinds():  # one query per kind of item on the page
        ids = {getattr(n, f"{kind.field}_id") for n in page.object_list} - {None}
        seen[kind.field] = kind.visible_ids(viewer, ids) if ids else set()
    for notification in page.object_list:
        kind = notice_kind(notification)
        notification.visible = getattr(notification, f"{kind.field}_id") in seen[kind.field]
        notification.item_url = kind.path(notification)
    return page
