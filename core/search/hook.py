"""What the audit trail tells the search: every service audits its writes with their target, so
``audit_append`` calls ``search_note_write`` and the index follows every write, the OCR's too.

Light on purpose (it runs inside every audited transaction, under the audit lock): no queries.
The targets of the transaction are collected on the connection and, once it commits, enqueued
as one ``search_index_task`` per district; the task maps them to index keys (a note to its file,
a page to its document …). Reads (``*.view``, ``*.download`` …) change nothing and are skipped.
"""

from __future__ import annotations

import logging

from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name

from core.base.audit import audit_write_observe
from core.search.tasks import search_index_task

logger = logging.getLogger(__name__)

# Audit target types (model names) whose writes change what the search shows.
TARGET_TYPES = frozenset(
    {
        "receipt",
        "efile",
        "note",
        "document",
        "documentversion",
        "documentpage",
        "case",
        "caseprogress",
        "casecustody",
        "casereview",
        "rtiapplication",
        "rtireply",
        # The people posted in the district (their accounts, postings, and the posts and offices
        # whose names their rows carry).
        "user",
        "posting",
        "post",
        "office",
    }
)
# The verbs of actions that only read.
READ_VERBS = frozenset(
    {"view", "download", "preview", "track", "history", "print", "export", "query", "read", "reply_download"}
)


def _pending() -> set[tuple[str, str, str]]:
    pending = getattr(connection, "_search_pending", None)
    if pending is None:
        pending = connection._search_pending = set()
    return pending


def search_note_write(*, action: str, target_type: str, target_id: str) -> None:
    """Remember that this transaction wrote ``target_type`` ``target_id``; index it on commit."""
    if target_type not in TARGET_TYPES or not target_id:
        return
    verb = action.rpartition(".")[2]
    if verb in READ_VERBS or verb.endswith("_view"):  # document.text_view, document.page_view …
        return
    schema = connection.schema_name
    if not schema or schema == get_public_schema_name():
        return
    _pending().add((schema, target_type, str(target_id)))
    # One callback per transaction: a savepoint rolled back takes its callback with it, and then
    # the next write registers it again.
    if not any(func is search_flush for _sids, func, _robust in connection.run_on_commit):
        transaction.on_commit(search_flush, robust=True)


def search_flush() -> None:
    """Enqueue what the committed transaction wrote: one task per district."""

    pending, connection._search_pending = _pending(), set()
    by_schema: dict[str, list[list[str]]] = {}
    for schema, target_type, target_id in sorted(pending):
        by_schema.setdefault(schema, []).append([target_type, target_id])
    for schema, targets in by_schema.items():
        search_index_task(schema, targets)


__all__ = ["READ_VERBS", "TARGET_TYPES", "search_flush", "search_note_write"]


def register() -> None:
    """The index follows every audited write (``core.base.audit.audit_write_observe``)."""
    audit_write_observe("search", search_note_write)
