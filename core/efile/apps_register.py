"""What the e-File registers with the rest of a district at start-up (``CoreConfig.ready``):

- ``core.base.records``: an office at whose posts open (or parked) files or open dak lie cannot close,
  nor can a post where they lie, and a transfer reports them kept with the post (closed files
  and dak put into files or closed do not count);
- ``core.base.notifications``: what a file's or dak's notice says, where it links, and who still
  sees it;
- ``core.org.selectors.adoption``: weekly counts of dak diarised, files moved and documents uploaded, for the
  state rollup (district-wide) and the district dashboard (per office).

Its background tasks are imported by ``core.tasks``, which the consumer discovers.
"""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext_lazy as _

from core.base.access import files_visible, receipts_visible
from core.base.notifications import notice_register
from core.base.records import records_register
from core.efile.notifications import item_notification_path, item_notification_text
from core.efile.services.tracking import LEAVING
from core.models import DocumentVersion, EFile, Movement, Office, Post, Receipt
from core.org.selectors.adoption import adoption_counter_register, adoption_office_counter_register

OPEN_FILE = (EFile.Status.OPEN, EFile.Status.PARKED)


def office_open_files(office: Office) -> int:
    """Files not closed (open or parked) lying at the office's posts, whichever office they belong
    to: they would be stranded there. The office's own files lying elsewhere do not count."""
    return EFile.objects.filter(current_post__office=office, status__in=OPEN_FILE).count()


def post_open_files(post: Post) -> int:
    """Files not closed (open or parked) lying at the post."""
    return EFile.objects.filter(current_post=post, status__in=OPEN_FILE).count()


def post_open_dak(post: Post) -> int:
    """Open dak lying at the post."""
    return Receipt.objects.filter(current_post=post, status=Receipt.Status.OPEN).count()


def office_open_dak(office: Office) -> int:
    """Open dak lying at the office's posts, whichever office diarised it."""
    return Receipt.objects.filter(current_post__office=office, status=Receipt.Status.OPEN).count()


def _monday(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _weekly(queryset, field: str, *, office_field: str | None = None, office_ids=None) -> dict:
    """{Monday: n} or, with ``office_field``, {(office id, Monday): n}: one grouped query."""
    queryset = queryset.order_by().annotate(week=TruncWeek(field))
    if office_field is None:
        return {_monday(w): n for w, n in queryset.values_list("week").annotate(n=Count("id"))}
    rows = (
        queryset.filter(**{f"{office_field}__in": office_ids})
        .values_list(office_field, "week")
        .annotate(n=Count("id"))
    )
    return {(office, _monday(w)): n for office, w, n in rows}


def _dak(first, end):
    return Receipt.objects.filter(received_on__gte=first, received_on__lt=end)


def _moves(first, end):
    return Movement.objects.filter(
        file__isnull=False, action__in=LEAVING, at__date__gte=first, at__date__lt=end
    )


def _uploads(first, end):
    return DocumentVersion.objects.filter(uploaded_at__date__gte=first, uploaded_at__date__lt=end)


def dak_diarised(first, end):
    return _weekly(_dak(first, end), "received_on")


def files_moved(first, end):
    return _weekly(_moves(first, end), "at")


def documents_uploaded(first, end):
    return _weekly(_uploads(first, end), "uploaded_at")


def office_dak_diarised(first, end, office_ids):
    return _weekly(_dak(first, end), "received_on", office_field="office_id", office_ids=office_ids)


def office_files_moved(first, end, office_ids):
    # A move counts for the office that sent the file on.
    return _weekly(_moves(first, end), "at", office_field="from_post__office_id", office_ids=office_ids)


def office_documents_uploaded(first, end, office_ids):
    return _weekly(
        _uploads(first, end), "uploaded_at", office_field="uploaded_post__office_id", office_ids=office_ids
    )


def register() -> None:
    """Register the counters and notices (idempotent: registering the same function twice adds it
    once)."""
    for field, visible in (("file", files_visible), ("receipt", receipts_visible)):
        notice_register(
            field=field,
            text=item_notification_text,
            path=item_notification_path,
            visible_ids=lambda viewer, ids, visible=visible: set(
                visible(viewer).filter(pk__in=ids).values_list("pk", flat=True)
            ),
        )
    records_register(
        key="efile.files", label=_("open files"), office_count=office_open_files, post_count=post_open_files
    )
    records_register(
        key="efile.dak", label=_("open dak"), office_count=office_open_dak, post_count=post_open_dak
    )
    for series, counter, per_office in (
        ("dak_diarised", dak_diarised, office_dak_diarised),
        ("files_moved", files_moved, office_files_moved),
        ("documents_uploaded", documents_uploaded, office_documents_uploaded),
    ):
        adoption_counter_register(series, counter)
        adoption_office_counter_register(series, per_office)
