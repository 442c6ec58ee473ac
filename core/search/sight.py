"""Sight keys: who may see an index row, as keys the row carries and keys the viewer holds.

A row's ``sight_keys`` are written in SQL (``SIGHT_SQL``, migration core.0016, which says what each
key means) whenever ``core.search.index`` writes the row, and again for the rows that borrow a
record's keys (the dak put in a file, the documents of a file, dak or case) when that record is
written. The viewer's keys come from the same ``Viewer`` the pages use (``viewer_keys``), so a
row's keys meet the viewer's exactly when the pages' rules let the viewer open the record (a test
compares the two for every demo officer and every kind).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from django.db import connection

from core.base.access import Viewer
from core.models import Post

SIGHT_SQL = importlib.import_module("core.migrations.0016_search_sight_keys").SIGHT_SQL


def viewer_keys(viewer: Viewer) -> list[str]:
    """The keys that give the viewer sight: their posts (``p``), the offices they supervise
    (``o``), the offices of their posts (``m``: a thana's cases), the offices of their posts other
    than the district admin's (``r``: an office's RTI register), and ``*`` (people). One query;
    none for a viewer who sees nothing (no keys)."""
    if not viewer.sees_anything:
        return []
    keys = {
        "*",
        *(f"p{post}" for post in viewer.post_ids),
        *(f"o{office}" for office in viewer.scope_office_ids),
    }
    for office_id, kind in Post.objects.filter(pk__in=viewer.post_ids).values_list("office_id", "kind"):
        keys.add(f"m{office_id}")
        if kind != Post.Kind.DISTRICT_ADMIN:
            keys.add(f"r{office_id}")
    return sorted(keys)


def sight_write(where: str, params: dict) -> None:
    """Write the sight keys of the index rows that ``where`` picks (``e`` is the row)."""
    with connection.cursor() as cursor:
        cursor.execute(SIGHT_SQL.replace("{where}", where), params)


def sight_write_borrowers(*, files: Iterable[int], receipts: Iterable[int], cases: Iterable[int]) -> None:
    """Write again the keys of the rows that carry these records' keys: the dak put in these files,
    and the documents of these files, of this dak (and of the dak in these files) and of these
    cases. A file that moves changes who may see its dak and papers."""
    files, receipts, cases = sorted(set(files)), sorted(set(receipts)), sorted(set(cases))
    if not (files or receipts or cases):
        return
    sight_write(
        "(e.kind = 'receipt' AND e.object_id IN "
        "(SELECT id FROM core_receipt WHERE file_id = ANY(%(files)s))) "
        "OR (e.kind = 'document' AND e.object_id IN (SELECT id FROM core_document WHERE "
        "file_id = ANY(%(files)s) OR case_id = ANY(%(cases)s) OR receipt_id = ANY(%(receipts)s) "
        "OR receipt_id IN (SELECT id FROM core_receipt WHERE file_id = ANY(%(files)s))))",
        {"files": files, "receipts": receipts, "cases": cases},
    )


__all__ = ["SIGHT_SQL", "sight_write", "sight_write_borrowers", "viewer_keys"]
