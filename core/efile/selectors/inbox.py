"""The officer's trays: what waits at my posts (the inbox), what left them (sent), what I parked,
and what was closed at them or passed through them; plus the desk's summary and the header count.

Built for districts of 100,000 files: each tray pages with Django's ``Paginator`` (50 a page)
over one query that the indexes answer (``core_efile_post_idx`` and ``core_receipt_post_idx`` on
``(current_post, status …)``, ``core_movement_from_idx`` on ``(from_post, -at)``,
``core_passage_post_file_idx`` / ``core_passage_post_receipt_idx`` on ``(post, item)``); the
closed tray reads files and dak latest first apart and pages forward without counting them all
(``closed_page``). Files and dak of a page are then fetched by id in one query each, never row
by row.

Everything here is at, or passed through, the viewer's own posts, which the visibility rule
(``core.base.access``) always lets them see: the trays need no wider filter.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Value
from django.db.models.fields import CharField
from django.utils import timezone

from core.base.access import Viewer, viewer_of
from core.efile.selectors.notifications import unread_count
from core.efile.services.tracking import LEAVING
from core.models import EFile, Movement, Passage, Post, Receipt

PAGE_SIZE = 50
FILE, DAK = "file", "dak"


@dataclass
class TrayRow:
    """One file or receipt in a tray, with what the page shows beside it."""

    kind: str
    item: EFile | Receipt
    came: Movement | None = None

    @property
    def is_file(self) -> bool:
        return self.kind == FILE

    @property
    def number(self) -> str:
        return self.item.number if self.is_file else self.item.diary_number

    @property
    def is_new(self) -> bool:
        return self.item.received_at is None

    @property
    def overdue(self) -> bool:
        return item_overdue(self.item)


# Where an item still waits at its post: a parked file waits there too (it is set aside, not done
# with), dak put into a file or closed, and a closed file, do not.
WAITING = {EFile: (EFile.Status.OPEN, EFile.Status.PARKED), Receipt: (Receipt.Status.OPEN,)}


def item_overdue(item: EFile | Receipt, today: datetime.date | None = None) -> bool:
    """Past the date the sender asked for, and still waiting at its post (parked included). The
    one definition of overdue: the trays, the file page and the desk summary's counts
    (``_late_q``) all follow it."""
    return (
        item.due_on is not None
        and item.status in WAITING[type(item)]
        and item.due_on < (today or timezone.localdate())
    )


def _late_q(today: datetime.date) -> Q:
    """``item_overdue`` as a filter, for rows already limited to waiting ones."""
    return Q(due_on__lt=today)


def _arm(queryset, kind: str, *columns: str):
    """One side of a union: the item's kind and id, plus the columns the tray sorts on."""
    return (
        queryset.order_by()
        .annotate(kind=Value(kind, output_field=CharField()))
        .values_list("kind", "id", *columns)
    )


def _new_flag():
    return ExpressionWrapper(Q(received_at__isnull=True), output_field=BooleanField())


def _hydrate(keys: list[tuple[str, int]], *, came: bool) -> list[TrayRow]:
    """The page's files and receipts by id (one query each), in the page's order, with the
    movement that brought each to its post when ``came``."""
    file_ids = [pk for kind, pk in keys if kind == FILE]
    receipt_ids = [pk for kind, pk in keys if kind == DAK]
    related = ("current_post__office", "office")
    items = {(FILE, f.pk): f for f in EFile.objects.filter(pk__in=file_ids).select_related(*related, "head")}
    items.update(
        {(DAK, r.pk): r for r in Receipt.objects.filter(pk__in=receipt_ids).select_related(*related)}
    )
    movements: dict[tuple[str, int], Movement] = {}
    if came and keys:
        # The latest step that brought each item somewhere: DISTINCT ON over the (item, at) indexes.
        latest = (
            Movement.objects.filter(
                Q(file_id__in=file_ids) | Q(receipt_id__in=receipt_ids), action__in=LEAVING
            )
            .select_related("from_post__office", "by")
            .order_by("file_id", "receipt_id", "-at", "-id")
            .distinct("file_id", "receipt_id")
        )
        for movement in latest:
            key = (FILE, movement.file_id) if movement.file_id else (DAK, movement.receipt_id)
            if movement.to_post_id == items[key].current_post_id:
                movements[key] = movement
    return [TrayRow(kind=k[0], item=items[k], came=movements.get(k)) for k in keys if k in items]


class LazyRows(Sequence):
    """A page's rows, read (``fetch(keys)``) only when first iterated or indexed: ``keys`` (the
    page's items in its order: ``(kind, id)`` pairs, or movement or file ids) are known from the
    page's own query, so a page whose rows are rendered from the cache
    (``core.efile.views.tray_cache``) never reads them. Its length is that of ``keys`` (an item
    deleted meanwhile is left out when the rows are read)."""

    def __init__(self, keys: list, fetch, versions: str | None = None):
        # ``versions``: the page's rows' versions and every post's and office's, where the page's
        # own query read them (``ROW_VERSION``, ``NAMES_VERSION``); else the cache reads them.
        self.keys, self.fetch, self.versions = keys, fetch, versions

    @cached_property
    def rows(self) -> list:
        return self.fetch(self.keys)

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, index):
        return self.rows[index]

    def __iter__(self):
        return iter(self.rows)


# A row's version: the transaction that wrote its current version and where it lies, which every
# write to the row changes (``core.efile.views.tray_cache``); every post's and office's (their names
# show in the rows) as digests. Unqualified names: the district's schema, then public, on the
# connection's ``search_path``.
ROW_VERSION = "(SELECT v.xmin::text || v.ctid::text FROM {table} v WHERE v.id = p.id)"
NAMES_VERSION = """concat_ws('|',
  (SELECT md5(string_agg(id::text || ':' || xmin::text || ctid::text, ',' ORDER BY id)) FROM core_post),
  (SELECT md5(string_agg(id::text || ':' || xmin::text || ctid::text, ',' ORDER BY id)) FROM core_office))"""
TABLES = {FILE: "core_efile", DAK: "core_receipt"}


def _with_versions(rows, *, kind: str | None = None, order: str = "") -> list[tuple]:
    """The rows of ``rows`` (a sliced ``values_list`` query: a page's candidates) each followed by
    its version and the names' version, in one statement: the versions are read for these rows
    only, after the page is cut (read in the query itself, they would make every candidate row be
    read from its table rather than from the index). ``kind``: the rows' one kind, else their first
    column says it; ``order``: the rows' order again, by position (the outer query's own)."""
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # nothing to read: an empty page, or no post to read at
        return []
    if kind is not None:
        version = ROW_VERSION.format(table=TABLES[kind])
    else:
        version = (
            "CASE p.kind "
            + " ".join(f"WHEN '{k}' THEN {ROW_VERSION.format(table=table)}" for k, table in TABLES.items())
            + " END"
        )
    statement = f"SELECT p.*, {version}, {NAMES_VERSION} FROM ({sql}) p {order}"  # noqa: S608 (constants)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def _versions(rows: list[tuple[str, int, str, str]]) -> str | None:
    """A page's versions from ``(kind, id, ver, names)`` rows (its keys' order)."""
    if not rows:
        return None
    return ",".join(f"{kind}{pk}:{ver}" for kind, pk, ver, _names in rows) + "|" + rows[0][3]


def _tray_rows(keys: list[tuple[str, int]], *, came: bool, versions: str | None = None) -> LazyRows:
    return LazyRows(keys, functools.partial(_hydrate, came=came), versions)


class _RowPaginator(Paginator):
    """A paginator over ``(kind, id, …)`` tuples whose page objects are ``TrayRow``s."""

    def __init__(self, object_list, per_page, *, came: bool):
        super().__init__(object_list, per_page)
        self.came = came

    def _get_page(self, object_list, number, paginator):
        rows = _with_versions(object_list, order=INBOX_ORDER_SQL)  # each row ends with ver, names
        keys = [(row[0], row[1]) for row in rows]
        versions = _versions([(row[0], row[1], row[-2], row[-1]) for row in rows])
        return Page(_tray_rows(keys, came=self.came, versions=versions), number, paginator)


def _page(union, number, *, came: bool, count: int | None = None) -> Page:
    paginator = _RowPaginator(union, PAGE_SIZE, came=came)
    if count is not None:
        paginator.count = count  # known already: the statement counting them all is not sent
    return paginator.get_page(number)


# The inbox's order: new (not yet taken in) first, then by due date (earliest first, none last),
# then latest arrival; kind and id make it total (the API's cursors rely on that).
INBOX_ORDER = (F("is_new").desc(), F("due_on").asc(nulls_last=True), F("arrived_at").desc(), "kind", "id")
# The same by the columns' positions in ``(kind, id, is_new, due_on, arrived_at)`` rows.
INBOX_ORDER_SQL = "ORDER BY 3 DESC, 4 ASC NULLS LAST, 5 DESC, 1 ASC, 2 ASC"


def inbox_arms(viewer: Viewer) -> dict[str, object]:
    """The inbox's two sides by kind, unordered ``(kind, id, is_new, due_on, arrived_at)`` rows:
    files and dak waiting at the viewer's posts (additional charges included), open ones."""
    posts = sorted(viewer.post_ids)
    arms = {}
    for kind, model, status in ((FILE, EFile, EFile.Status.OPEN), (DAK, Receipt, Receipt.Status.OPEN)):
        waiting = model.objects.filter(current_post_id__in=posts, status=status).annotate(is_new=_new_flag())
        arms[kind] = _arm(waiting, kind, "is_new", "due_on", "arrived_at")
    return arms


def inbox_page(viewer: Viewer, number=None, *, count: int | None = None) -> Page:
    """Files and dak waiting at the viewer's posts (``inbox_arms``) in ``INBOX_ORDER``, each page's
    rows read with their versions for the rows' cache; ``count``: how many there are, where the
    caller has counted them (``header_counts``), else counted here."""
    files, dak = inbox_arms(viewer).values()
    union = files.union(dak, all=True).order_by(*INBOX_ORDER)
    return _page(union, number, came=True, count=count)


def tray_arm(queryset, kind: str, *columns: str):
    """One side of a tray's union: ``(kind, id, *columns)`` rows of ``queryset``."""
    return _arm(queryset, kind, *columns)


def tray_rows(keys: list[tuple[str, int]], *, came: bool) -> list[TrayRow]:
    """The ``TrayRow``s of ``(kind, id)`` keys, in their order (``came``: with the movement that
    brought each to its post, as the inbox shows)."""
    return _hydrate(keys, came=came)


class _MovementPaginator(Paginator):
    """Pages of movement ids (the ``from_post`` index gives them in order), each page's movements
    then fetched with their items, posts and people in one query: the joins touch 50 rows only."""

    def _get_page(self, object_list, number, paginator):
        return Page(LazyRows(list(object_list), sent_rows), number, paginator)


SENT_ORDER = ("-at", "-id")


def sent_steps(viewer: Viewer):
    """The steps that left the viewer's posts (sent or returned, files and dak), unordered."""
    return Movement.objects.filter(from_post_id__in=sorted(viewer.post_ids), action__in=LEAVING)


def sent_rows(ids: list[int]) -> list[Movement]:
    """The movements of ``ids`` in that order, with their items, posts and people (one query)."""
    rows = Movement.objects.filter(pk__in=ids).select_related(
        "file", "receipt", "from_post", "to_post__office", "by", "received_by"
    )
    by_id = {movement.pk: movement for movement in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def sent_page(viewer: Viewer, number=None) -> Page:
    """What left the viewer's posts (sent or returned, files and dak), latest first: each row a
    ``Movement`` with its item, where it went and who took it in."""
    steps = sent_steps(viewer).order_by(*SENT_ORDER).values_list("id", flat=True)
    return _MovementPaginator(steps, PAGE_SIZE).get_page(number)


PARKED_ORDER = ("-updated_at", "-id")


def parked_files(viewer: Viewer):
    """Files parked at the viewer's posts, unordered, with what a tray row shows."""
    return EFile.objects.filter(
        current_post_id__in=sorted(viewer.post_ids), status=EFile.Status.PARKED
    ).select_related("current_post__office", "office", "head")


def parked_rows(ids: list[int]) -> list[EFile]:
    """The parked files of ``ids`` in that order, with what a tray row shows (one query)."""
    by_id = EFile.objects.select_related("current_post__office", "office", "head").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


class _FilePaginator(Paginator):
    """Pages of file ids (the post index gives them in order), each page's files read lazily."""

    def _get_page(self, object_list, number, paginator):
        return Page(LazyRows(list(object_list), parked_rows), number, paginator)


def parked_page(viewer: Viewer, number=None) -> Page:
    """Files parked at the viewer's posts, last parked first (the post index serves the order)."""
    ids = parked_files(viewer).order_by(*PARKED_ORDER).values_list("id", flat=True)
    return _FilePaginator(ids, PAGE_SIZE).get_page(number)


# The closed tray pages forward without counting every closed item (a history that only grows);
# deep pages are refused past this many, which no one reads by paging.
CLOSED_PAGES_MAX = 200


@dataclass
class ForwardPage:
    """A page that knows whether another follows but not how many there are: the closed tray's.
    Offers what ``_pager.html`` reads of a ``Page`` (``paginator.num_pages`` is None)."""

    object_list: list
    number: int
    has_next: bool

    class _NoCount:
        num_pages = None

    paginator = _NoCount()

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def _page_number(number) -> int:
    try:
        value = int(number)
    except (TypeError, ValueError):
        return 1
    return min(max(value, 1), CLOSED_PAGES_MAX)


# The closed tray's order: last closed first (never-closed last), then kind and id.
CLOSED_ORDER = (F("closed_at").desc(nulls_last=True), "kind", "id")


def closed_arms(viewer: Viewer) -> dict[str, object]:
    """Files and dak closed at the viewer's posts or that passed through them, by kind, unordered.
    An item at a post always has a ``Passage`` for it, so one semi-join over the passages of my
    posts covers both "closed here" and "passed through here"."""
    posts = sorted(viewer.post_ids)
    return {
        FILE: EFile.objects.filter(
            status=EFile.Status.CLOSED,
            pk__in=Passage.objects.filter(post_id__in=posts, file__isnull=False).values("file_id"),
        ),
        DAK: Receipt.objects.filter(
            status=Receipt.Status.CLOSED,
            pk__in=Passage.objects.filter(post_id__in=posts, receipt__isnull=False).values("receipt_id"),
        ),
    }


def closed_page(viewer: Viewer, number=None) -> ForwardPage:
    """Files and dak closed at the viewer's posts or that passed through them, last closed first.

    An item at a post always has a ``Passage`` for it, so one semi-join over the passages of my
    posts covers both "closed here" and "passed through here". Files and dak are read apart, each
    latest first up to the end of the page asked for (the ``core_*_closed_idx`` partial indexes
    walk closed rows in that order and stop there), and merged here; nothing counts them all."""
    number = _page_number(number)
    limit = number * PAGE_SIZE + 1
    order = (F("closed_at").desc(nulls_last=True), "id")
    files, dak = (  # each row with its version for the rows' cache
        _with_versions(arm.order_by(*order).values_list("closed_at", "id")[:limit], kind=kind)
        for kind, arm in closed_arms(viewer).items()
    )
    never = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    rows = sorted(
        [(FILE, *row) for row in files] + [(DAK, *row) for row in dak],
        key=lambda row: (-(row[1] or never).timestamp(), row[0], row[2]),
    )
    shown = rows[(number - 1) * PAGE_SIZE : limit]
    if not shown and number > 1:
        return closed_page(viewer, 1)
    page = shown[:PAGE_SIZE]
    keys = [(kind, pk) for kind, _closed_at, pk, _ver, _names in page]
    versions = _versions([(kind, pk, ver, names) for kind, _closed_at, pk, ver, names in page])
    return ForwardPage(
        _tray_rows(keys, came=False, versions=versions), number, has_next=len(shown) > PAGE_SIZE
    )


@dataclass
class PostSummary:
    post: Post
    files: int = 0
    dak: int = 0
    new: int = 0
    overdue: int = 0
    parked: int = 0

    @property
    def waiting(self) -> int:
        return self.files + self.dak


def inbox_summary(viewer: Viewer) -> list[PostSummary]:
    """Per post the viewer holds: files and dak waiting, how many new and overdue, files parked.

    One statement of three grouped counts whatever the numbers (open files and dak: the covering
    indexes of core.0029; parked files: the post index)."""
    today = timezone.localdate()
    # A district admin's post administers; nothing is ever sent to it.
    posts = list(
        Post.objects.filter(pk__in=viewer.post_ids)
        .exclude(kind=Post.Kind.DISTRICT_ADMIN)
        .select_related("office")
        .order_by("title", "id")
    )
    rows = {post.pk: PostSummary(post=post) for post in posts}
    if not rows:
        return []
    counts = {
        "n": Count("id"),
        "new": Count("id", filter=Q(received_at__isnull=True)),
        "late": Count("id", filter=_late_q(today)),
    }
    arms = [
        model.objects.filter(current_post_id__in=rows, status=status)
        .order_by()
        .values("current_post_id")
        .annotate(part=Value(part, output_field=CharField()), **counts)
        .values_list("part", "current_post_id", "n", "new", "late")
        for part, model, status in (
            ("files", EFile, EFile.Status.OPEN),
            ("dak", Receipt, Receipt.Status.OPEN),
            ("parked", EFile, EFile.Status.PARKED),
        )
    ]
    for part, post_id, n, new, late in arms[0].union(*arms[1:], all=True):
        summary = rows[post_id]
        setattr(summary, part, n)
        if part != "parked":
            summary.new += new
        # A parked file past its date still waits at the post: overdue like the rest.
        summary.overdue += late
    return list(rows.values())


def desk_summary(request) -> list[PostSummary]:
    """``inbox_summary`` for the signed-in person, remembering its waiting total for the header's
    count (``request_inbox_count``), so the page counts the inbox once."""
    rows = inbox_summary(viewer_of(request))
    request._efile_inbox_count = (request.user.pk, sum(row.waiting for row in rows))
    return rows


def request_inbox_count(request) -> int:
    """The header's inbox count, read once per request (``header_counts``)."""
    return header_counts(request)[0]


def header_counts(request) -> tuple[int, int]:
    """The header's two figures for the signed-in person: files and dak waiting at their posts
    (``inbox_count``) and unread notifications (``unread_count``), read once per request.

    Where the page counted the inbox already (its own total, or the desk summary's; a district
    admin's post, left out there, never has anything waiting) only the unread count is read;
    otherwise both come from one statement (every page's header needs both: one round trip to the
    database, not three)."""
    person_id = request.user.pk
    cached = getattr(request, "_efile_header_counts", None)
    if cached is not None and cached[0] == person_id:
        return cached[1]
    known = getattr(request, "_efile_inbox_count", None)
    if known is not None and known[0] == person_id:
        counts = (known[1], unread_count(person_id))
    else:
        counts = _header_counts_read(sorted(viewer_of(request).post_ids), person_id)
    request._efile_header_counts = (person_id, counts)
    return counts


# ``inbox_count`` and ``unread_count`` in one statement: each an index-only count (the open
# items' covering indexes of core.0029, the notifications' ``(person, read_at)`` index). Unqualified
# names: the district's schema, then public, on the connection's ``search_path``.
HEADER_COUNTS = """SELECT
  (SELECT count(*) FROM core_efile WHERE current_post_id = ANY(%(posts)s) AND status = %(file_open)s)
  + (SELECT count(*) FROM core_receipt WHERE current_post_id = ANY(%(posts)s) AND status = %(dak_open)s),
  (SELECT count(*) FROM core_notification WHERE person_id = %(person)s AND read_at IS NULL)"""


def _header_counts_read(posts: list[int], person_id: int | None) -> tuple[int, int]:
    params = {
        "posts": posts,
        "file_open": EFile.Status.OPEN.value,
        "dak_open": Receipt.Status.OPEN.value,
        "person": person_id,
    }
    with connection.cursor() as cursor:
        cursor.execute(HEADER_COUNTS, params)
        inbox, unread = cursor.fetchone()
    return inbox, unread


def inbox_count(viewer: Viewer) -> int:
    """Files and dak waiting at the viewer's posts (the header's count): two index-only counts."""
    if not viewer.post_ids:
        return 0
    posts = sorted(viewer.post_ids)
    return (
        EFile.objects.filter(current_post_id__in=posts, status=EFile.Status.OPEN).count()
        + Receipt.objects.filter(current_post_id__in=posts, status=Receipt.Status.OPEN).count()
    )
