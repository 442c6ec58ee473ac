"""Writing the search index of the current district: a batch of records (``search_index_records``)
or everything from scratch (``search_index_rebuild``).

The index is derived data, written by the background task and the rebuild command only; the
searchable vector is computed in SQL from the row's own columns (``DOCUMENT_SQL``), so a rebuilt
row equals a live one. Run under the district's schema.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from core.models.search import SearchEntry
from core.search.builders import BUILDERS, every_id
from core.search.configs import hindi_config
from core.search.glossary_index import GLOSSARY_LOCK, glossary_refresh, glossary_tokenize
from core.search.sight import sight_write, sight_write_borrowers

# The typo dictionary's words of index rows (``WHERE`` picks the rows). This is the statement's one
# home at run time; migration core.0015 keeps a frozen copy of it as it first ran (a migration must
# not change when the app does, and the app must not import a migration at run time).
# tests/core/search/test_words_sql.py checks the two still agree while the index's columns do.
WORDS_SQL = (
    "INSERT INTO core_searchword (word) SELECT DISTINCT w FROM core_searchentry, "
    "unnest(tsvector_to_array(to_tsvector('simple', "
    "(title || ' ' || names || ' ' || identifiers || ' ' || other_script)))) AS w "
    "WHERE {where} AND length(w) >= 3 ON CONFLICT DO NOTHING"
)

CHUNK = 2000
FIELDS = ["office_id", "on", "status", "identifiers", "title", "body", "names", "other_script", "updated_at"]

# The weighted vector of a row: English and Hindi stems of the title, names and numbers (A) and of
# the body (B), the plain words of both (A, D), and the other script's forms (C).
DOCUMENT_SQL = """
    setweight(to_tsvector('english', title || ' ' || names || ' ' || identifiers), 'A')
 || setweight(to_tsvector(%(hindi)s::regconfig, title || ' ' || names), 'A')
 || setweight(to_tsvector('simple', title || ' ' || names || ' ' || identifiers), 'A')
 || setweight(to_tsvector('english', body), 'B')
 || setweight(to_tsvector(%(hindi)s::regconfig, body), 'B')
 || setweight(to_tsvector('simple', body), 'D')
 || setweight(to_tsvector('simple', other_script), 'C')
"""


def _write_documents(where: str, params: dict) -> None:
    """Write these rows' vectors, with the tokens of the glossary terms each matches
    (``core.search.glossary_index``)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE core_searchentry SET document = {DOCUMENT_SQL} WHERE {where}",  # noqa: S608
            {"hindi": hindi_config(), **params},
        )
    glossary_tokenize(where, params)


def _write_words(where: str, params: dict) -> None:
    """Add the words of these rows' titles, names and numbers to the typo dictionary."""
    with connection.cursor() as cursor:
        cursor.execute(WORDS_SQL.format(where=where), params)


def _models(rows: list[dict], now) -> list[SearchEntry]:
    return [SearchEntry(**row, updated_at=now) for row in rows]


def search_index_records(keys: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Bring the index rows of these records ((kind, id) pairs) up to date: written for records
    that exist, deleted for those that are gone, with their sight keys (and those of the dak and
    documents that borrow theirs: ``core.search.sight``). Atomic. Returns {"written": n, "deleted": n}."""
    by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, pk in keys:
        if kind in BUILDERS:
            by_kind[kind].add(int(pk))
    written = deleted = 0
    now = timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:  # the glossary's tokens stay as they are until commit
            cursor.execute(GLOSSARY_LOCK)
        for kind, ids in by_kind.items():
            _model, build = BUILDERS[kind]
            rows = build(sorted(ids))
            found = [row["object_id"] for row in rows]
            deleted += SearchEntry.objects.filter(kind=kind, object_id__in=ids - set(found)).delete()[0]
            SearchEntry.objects.bulk_create(
                _models(rows, now),
                update_conflicts=True,
                unique_fields=["kind", "object_id"],
                update_fields=FIELDS,
            )
            if found:
                where = "kind = %(kind)s AND object_id = ANY(%(ids)s)"
                _write_documents(where, {"kind": kind, "ids": found})
                _write_words(where, {"kind": kind, "ids": found})
                sight_write(where, {"kind": kind, "ids": found})
            written += len(found)
        # The dak and documents that borrow these records' sight keys (a file moved: its dak and
        # papers follow it).
        sight_write_borrowers(
            files=by_kind.get("file", ()), receipts=by_kind.get("receipt", ()), cases=by_kind.get("case", ())
        )
    return {"written": written, "deleted": deleted}


def search_index_rebuild() -> dict[str, object]:
    """Rebuild the current district's index from scratch, in one transaction (searches see the old
    index until it commits). Records are read and written in batches; the vectors are computed in
    one statement at the end. Returns {kind: rows, ..., "seconds": s}."""
    started = time.monotonic()
    counts: dict[str, object] = {}
    now = timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_searchentry")
            cursor.execute("DELETE FROM core_searchword")
        glossary_refresh()  # the terms' definitions as the code writes them today (no rows yet)
        for kind, (_model, build) in BUILDERS.items():
            ids = every_id(kind)
            counts[kind] = len(ids)
            for start in range(0, len(ids), CHUNK):
                SearchEntry.objects.bulk_create(
                    _models(build(ids[start : start + CHUNK]), now), batch_size=CHUNK
                )
        _write_documents("TRUE", {})
        _write_words("TRUE", {})
        sight_write("TRUE", {})
    counts["seconds"] = round(time.monotonic() - started, 2)
    return counts


__all__ = ["DOCUMENT_SQL", "hindi_config", "search_index_rebuild", "search_index_records"]
