"""A district's pendency figures for its supervisors, read inside that district's schema.

``supervision_figures`` is the only reader; ``core.supervision.rollup`` calls it under each
district's schema and copies the result into the public ``SupervisionFigures``. The figures:

- ``files``: open files by the post holding them and how long they have been there (up to 7
  days, 8 to 30, over 30), with the totals;
- ``dak``: open dak (diarised, not yet put in a file or closed) and how much of it is past the
  date the sender asked for, by post;
- ``rti``: applications awaiting a reply whose statutory date is within 5 days, and past it;
- ``directions``: supervisors' case directions not yet reported complied with, and those past
  their date.

Counts and post titles only: no file, letter, applicant or case leaves the district this way.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q

from core.models import CaseReview, EFile, Post, Receipt, RtiApplication
from core.rti.clocks import rti_clocks

BANDS = ("up_to_7", "8_to_30", "over_30")
RTI_DUE_SOON_DAYS = 5
# Posts listed per district (the rest are in the totals): the longest pendency first.
POSTS_LISTED = 50
# RTI statuses with no reply yet, on which a reply clock runs (core.rti.selectors.applications.UNANSWERED).
_UNANSWERED = (
    RtiApplication.Status.RECEIVED,
    RtiApplication.Status.FEE_PENDING,
    RtiApplication.Status.THIRD_PARTY,
    RtiApplication.Status.DEEMED_REFUSED,
)


def _band_filters(today: datetime.date) -> dict[str, Q]:
    week = today - datetime.timedelta(days=7)
    month = today - datetime.timedelta(days=30)
    return {
        "up_to_7": Q(arrived_at__date__gt=week),
        "8_to_30": Q(arrived_at__date__lte=week, arrived_at__date__gt=month),
        "over_30": Q(arrived_at__date__lte=month),
    }


def _posts(ids) -> dict[int, dict]:
    return {
        post.pk: {
            "post": post.title,
            "post_hi": post.title_hi,
            "office": post.office.name,
            "office_hi": post.office.name_hi,
        }
        for post in Post.objects.filter(pk__in=ids).select_related("office")
    }


def _files(today: datetime.date) -> dict:
    bands = _band_filters(today)
    rows = list(
        EFile.objects.filter(status=EFile.Status.OPEN)
        .order_by()
        .values("current_post")
        .annotate(**{band: Count("id", filter=q) for band, q in bands.items()})
    )
    names = _posts([row["current_post"] for row in rows])
    by_post = [
        {**names[row["current_post"]], **{b: row[b] for b in BANDS}, "total": sum(row[b] for b in BANDS)}
        for row in rows
    ]
    by_post.sort(key=lambda r: (-r["over_30"], -r["8_to_30"], -r["total"], r["post"]))
    totals = {b: sum(r[b] for r in by_post) for b in BANDS}
    return {"open": sum(totals.values()), "bands": totals, "by_post": by_post[:POSTS_LISTED]}


def _dak(today: datetime.date) -> dict:
    rows = list(
        Receipt.objects.filter(status=Receipt.Status.OPEN)
        .order_by()
        .values("current_post")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
    )
    names = _posts([row["current_post"] for row in rows])
    by_post = [{**names[r["current_post"]], "open": r["open"], "overdue": r["overdue"]} for r in rows]
    by_post.sort(key=lambda r: (-r["overdue"], -r["open"], r["post"]))
    return {
        "open": sum(r["open"] for r in by_post),
        "overdue": sum(r["overdue"] for r in by_post),
        "by_post": by_post[:POSTS_LISTED],
    }


def _rti(today: datetime.date) -> dict:
    waiting = RtiApplication.objects.filter(status__in=_UNANSWERED, replied_on__isnull=True)
    due_soon = overdue = 0
    for application in waiting:
        reply = rti_clocks(application.facts, today=today).reply
        if reply.due_on is None:
            continue
        if reply.overdue:
            overdue += 1
        elif 0 <= reply.days_left <= RTI_DUE_SOON_DAYS:
            due_soon += 1
    return {"waiting": waiting.count(), "due_soon": due_soon, "overdue": overdue}


def _directions(today: datetime.date) -> dict:
    figures = CaseReview.objects.filter(complied_on__isnull=True).aggregate(
        pending=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today))
    )
    return {"pending": figures["pending"], "overdue": figures["overdue"]}


def supervision_figures(*, today: datetime.date) -> dict:
    """This district's pendency figures on ``today`` (run under its schema)."""
    return {
        "as_of": today.isoformat(),
        "files": _files(today),
        "dak": _dak(today),
        "rti": _rti(today),
        "directions": _directions(today),
    }
