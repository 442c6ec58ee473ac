"""Who holds which post on a day, and the office tree: the organisation's reads that the foundation
is built from (the viewer in ``core.base.access``, the notices' recipients in
``core.base.notifications``). The rest of the organisation's reads are in ``core.org.selectors``."""

import datetime

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.models import AccessBlock, Office, Post, Posting


def active_on(day: datetime.date) -> Q:
    """Postings in force on ``day``: started, and not ended before it."""
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def posting_active_list(*, person_id: int, on: datetime.date | None = None) -> QuerySet[Posting]:
    """The person's postings in the current district that are in force on ``on`` (today)."""
    day = on or timezone.localdate()
    return Posting.objects.filter(active_on(day), person_id=person_id).select_related("post__office")


# posting_rows_today's statement, written out: it runs on every signed-in request of a district (the
# access gate) and in every service that checks who holds a post, and building it through the ORM
# (three tables, an EXISTS) cost about 3 ms of CPU each time, most of the least a signed-in page
# costs (bench/_load_profile.py). Its rows are those of ``posting_active_list(person_id)`` with
# the post's and office's kinds, in the same order (Posting's default ordering);
# tests/core/test_access_rows.py holds them equal to the ORM's.
_POSTING_ROWS_SQL = """
SELECT pg.post_id, p.kind, p.office_id, o.kind,
       EXISTS(SELECT 1 FROM {block} b WHERE b.lifted_at IS NULL AND b.person_id = pg.person_id)
FROM {posting} pg
JOIN {post} p ON p.id = pg.post_id
JOIN {office} o ON o.id = p.office_id
WHERE pg.person_id = %s AND pg.starts_on <= %s AND (pg.ends_on IS NULL OR pg.ends_on >= %s)
ORDER BY pg.starts_on DESC
"""


def posting_rows_today(*, person_id: int) -> list[tuple[int, str, int, str, bool]]:
    """The person's postings in force today in the current district as ``(post, post kind, office,
    office kind, blocked)`` rows, newest first; ``blocked``: the district's admin has deactivated
    the person here (an open ``AccessBlock``), the same on every row. One statement."""
    today = timezone.localdate()
    quote = connection.ops.quote_name
    statement = _POSTING_ROWS_SQL.format(
        block=quote(AccessBlock._meta.db_table),
        posting=quote(Posting._meta.db_table),
        post=quote(Post._meta.db_table),
        office=quote(Office._meta.db_table),
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [person_id, today, today])
        return [tuple(row) for row in cursor.fetchall()]


def post_holding_list(*, post_ids, on: datetime.date | None = None) -> QuerySet[Posting]:
    """The postings of these posts in force on ``on`` (today), with the person: for each post the
    substantive holder first, then additional charges, each by start. The one holder lookup behind
    the file page's "with", the post pickers' names and whom a notification goes to."""
    day = on or timezone.localdate()
    return (
        Posting.objects.filter(active_on(day), post_id__in=post_ids)
        .select_related("person")
        .order_by("additional_charge", "starts_on", "id")
    )


def office_children() -> dict[int | None, list[int]]:
    """Each office's id under its parent's id (None: the top), in one unordered read."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Office.objects.order_by().values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    return children


def office_subtree_ids(office_id: int, children: dict[int | None, list[int]] | None = None) -> frozenset[int]:
    """The office and every office under it, at any depth. Pass ``children``
    (``office_children()``) to walk several subtrees over one read."""
    if children is None:
        children = office_children()
    found: set[int] = set()
    stack = [office_id]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return frozenset(found)
