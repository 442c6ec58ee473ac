"""The rendered rows of a tray page (inbox, sent, parked, closed), cached per district and person.

A tray page's rows cost most of its time: reading 50 files and dak with their posts and the
movement that brought each, then formatting them (dates, names, badges, links). The rows depend
only on what those items hold, on the names of posts and offices, on the page's language and on
today's date (overdue), so the rendered rows are kept in the cache under a key made of:

- the district (every cache key carries the schema it was made under, ``tenants.cache``) and the
  person (one person's entries are never read for another, even where the rows would be the same);
- the tray, the page number, the language and today's date;
- the page's items in order with each row's version: PostgreSQL's ``xmin`` and ``ctid`` (the
  transaction that wrote the row's current version and where it lies), which every write to the
  row changes (a move, taking in, closing, an edit; whichever service or statement wrote it, two
  writes in one transaction too);
  for the sent tray, the versions of its movements, of their files and dak and of the people named;
- a digest of the versions of every post and office row (a post or office renamed).

One small statement reads the versions (the inbox's and the closed tray's page queries read them
with the page's items, ``core.efile.selectors.inbox._with_versions``: no statement of their own);
a page whose rows are in the cache then reads none of its items and renders none of its rows. A
file that moves, is taken in or changes gets a new version,
so its page is rendered again at the next look: nothing to invalidate by hand, and nothing stale
is served. The page's own query (which items, in which order, under the sight rules) runs on every
request as before; only the rows' rendering is reused. Every key also carries a digest of the
project's templates and catalogues as this process loaded them, so a deploy that changes a row
template or a translation never serves rows rendered by the old one; entries expire after
``TRAY_ROWS_SECONDS``.
"""

from __future__ import annotations

import hashlib
from functools import cache as once
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from core.efile.selectors.inbox import DAK as DAK_KIND
from core.efile.selectors.inbox import FILE as FILE_KIND

TRAY_ROWS_SECONDS = 600
KEY_PREFIX = "efile:tray-rows"


@once
def release_digest() -> str:
    """A digest of the templates and translation catalogues this process renders with (read once),
    so cached rows never outlive the deploy that rendered them."""
    digest = hashlib.sha256()
    folders = [Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])]
    folders += [Path(folder) for folder in settings.LOCALE_PATHS]
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".html", ".txt", ".mo"}:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# Versions as ``id:xmin`` lists (unqualified names: the district's schema, then public, on the
# connection's ``search_path``). Each takes the page's ids, as arrays, as its parameters.
FILES = """(SELECT string_agg(id::text || ':' || xmin::text || ctid::text, ',' ORDER BY id)
  FROM core_efile WHERE id = ANY(%s))"""
DAK = """(SELECT string_agg(id::text || ':' || xmin::text || ctid::text, ',' ORDER BY id)
  FROM core_receipt WHERE id = ANY(%s))"""
MOVEMENTS = """(SELECT string_agg(m.id::text || ':' || m.xmin::text || m.ctid::text
    || ':' || coalesce(f.xmin::text || f.ctid::text, '') || ':' || coalesce(r.xmin::text || r.ctid::text, '')
    || ':' || coalesce(b.xmin::text || b.ctid::text, '') || ':' || coalesce(t.xmin::text || t.ctid::text, ''),
    ',' ORDER BY m.id)
  FROM core_movement m LEFT JOIN core_efile f ON f.id = m.file_id
  LEFT JOIN core_receipt r ON r.id = m.receipt_id LEFT JOIN tenants_user b ON b.id = m.by_id
  LEFT JOIN tenants_user t ON t.id = m.received_by_id WHERE m.id = ANY(%s))"""
# Every post and office (their names show in the rows), as digests.
NAMES = """(SELECT md5(string_agg(id::text || ':' || xmin::text || ctid::text, ',' ORDER BY id))
  FROM core_post),
  (SELECT md5(string_agg(id::text || ':' || xmin::text || ctid::text, ',' ORDER BY id))
  FROM core_office)"""


def _items_version(keys: list[tuple[str, int]]) -> tuple[str, list]:
    """Rows of files and dak (``(kind, id)`` keys): their versions."""
    return f"{FILES}, {DAK}", [
        [pk for kind, pk in keys if kind == FILE_KIND],
        [pk for kind, pk in keys if kind == DAK_KIND],
    ]


def _movements_version(ids: list[int]) -> tuple[str, list]:
    """Rows of movements (the sent tray): the movements', their files' or dak's, their people's."""
    return MOVEMENTS, [ids]


# What each tray's rows are (the keys of its pages' ``LazyRows``) and so which versions they show.
VERSIONS = {
    "inbox": _items_version,
    "closed": _items_version,
    "parked": lambda ids: _items_version([(FILE_KIND, pk) for pk in ids]),
    "sent": _movements_version,
}


def rows_version(tray: str, keys: list) -> str:
    """The versions of a page's rows and of every post and office, in one statement (unqualified
    names: the district's schema, then public, on ``search_path``)."""
    sql, params = VERSIONS[tray](keys)
    with connection.cursor() as cursor:
        cursor.execute("SELECT concat_ws('|', " + sql + ", " + NAMES + ")", params)
        return cursor.fetchone()[0]


def rows_key(*, person_id: int, tray: str, number: int, keys: list, versions: str | None = None) -> str:
    """The cache key of a tray page's rendered rows for this person (see the module docstring);
    ``versions``: the rows' and names' versions where the page's own query read them (the inbox and
    closed trays), else read here in one statement."""
    parts = (
        release_digest(),
        tray,
        str(number),
        translation.get_language() or "",
        timezone.localdate().isoformat(),
        repr(keys),
        versions if versions is not None else rows_version(tray, keys),
    )
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"{KEY_PREFIX}:{person_id}:{digest}"


def tray_rows_html(*, person_id: int, tray: str, page, template: str) -> SafeString:
    """The ``<tr>`` rows of ``page`` (a page of ``TrayRows``) rendered with ``template``, from the
    cache when this person's page with these versions was rendered before."""
    rows = page.object_list
    if not len(rows):
        return mark_safe("")  # noqa: S308 (empty)
    key = rows_key(
        person_id=person_id,
        tray=tray,
        number=page.number,
        keys=list(rows.keys),
        versions=getattr(rows, "versions", None),
    )
    html = cache.get(key)
    if html is None:
        html = get_template(template).render({"tray": tray, "rows": rows})
        cache.set(key, html, TRAY_ROWS_SECONDS)
    return mark_safe(html)  # noqa: S308 (rendered by our template, escaped there)


def _pending_shown(offices) -> str:
    """Everything the pending view's table shows, as text: the offices' and posts' names in both
    scripts, each post's holder (names, additional charge) and counts. Read from the summary the
    page computed already, so the key needs no query of its own and is exact."""
    lines = []
    for group in offices:
        office = group.office
        lines.append(f"o{office.pk}\t{office.name}\t{office.name_hi}")
        for row in group.rows:
            post, holder = row.post, row.holder
            person = holder and (holder.pk, holder.full_name, holder.full_name_hi, holder.login_id)
            lines.append(
                f"p{post.pk}\t{post.title}\t{post.title_hi}\t{person}\t{row.additional_charge}\t{row.counts}"
            )
    return "\n".join(lines)


def pending_table_html(*, person_id: int, offices, buckets, template: str) -> SafeString:
    """The pending view's table body (``offices``: ``pending_summary``'s groups), from the cache when
    this person saw the same figures, names and holders in this language before (the counts are
    read on every request; only their rendering, several hundred rows for an SP, is reused)."""
    parts = ("pending", release_digest(), translation.get_language() or "", _pending_shown(offices))
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    key = f"efile:pending-rows:{person_id}:{digest}"
    html = cache.get(key)
    if html is None:
        html = get_template(template).render({"offices": offices, "buckets": buckets})
        cache.set(key, html, TRAY_ROWS_SECONDS)
    return mark_safe(html)  # noqa: S308 (rendered by our template, escaped there)
