"""A person's notifications: the list page and the header's unread count."""

from __future__ import annotations

from django.core.paginator import Page, Paginator

from core.base.access import Viewer, files_visible, receipts_visible
from core.models import Notification

PAGE_SIZE = 50


def unread_count(person_id: int | None) -> int:
    """Unread notifications of the person (the ``(person, read_at)`` index answers it)."""
    if person_id is None:
        return 0
    return Notification.objects.filter(person_id=person_id, read_at__isnull=True).count()


def notifications_page(viewer: Viewer, number=None) -> Page:
    """The viewer's notifications, newest first, 50 a page. Each row says whether its item is
    still visible to the viewer (``visible``): after a transfer, a file left with the old post is
    named by number only and not linked, its subject not shown."""
    rows = (
        Notification.objects.filter(person_id=viewer.person_id)
        .select_related("post__office", "file", "receipt", "rti")
        .order_by("-created_at", "-id")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(number)
    page.object_list = list(page.object_list)
    file_ids = {n.file_id for n in page.object_list if n.file_id}
    receipt_ids = {n.receipt_id for n in page.object_list if n.receipt_id}
    seen_files = (
        set(files_visible(viewer).filter(pk__in=file_ids).values_list("pk", flat=True)) if file_ids else set()
    )
    seen_receipts = (
        set(receipts_visible(viewer).filter(pk__in=receipt_ids).values_list("pk", flat=True))
        if receipt_ids
        else set()
    )
    rti_ids = {n.rti_id for n in page.object_list if n.rti_id}
    if rti_ids:  # RTI reminders: linked while the viewer still sees the application
        from core.rti.access import rtis_visible
        from core.rti.reply_views import application_url

        seen_rtis = set(rtis_visible(viewer).filter(pk__in=rti_ids).values_list("pk", flat=True))
    for notification in page.object_list:
        if notification.rti_id:
            notification.visible = notification.rti_id in seen_rtis
            notification.rti_url = application_url(notification.rti_id)
            continue
        notification.visible = (
            notification.file_id in seen_files
            if notification.file_id
            else notification.receipt_id in seen_receipts
        )
    return page
