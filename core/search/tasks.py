"""The task that keeps a district's search index current (enqueued on commit by ``hook``)."""

from __future__ import annotations

from collections.abc import Iterable

from core.models import CaseCustody, CaseProgress, CaseReview, DocumentPage, DocumentVersion, Note, RtiReply
from core.search.index import search_index_records
from tenants.tasks import district_task

# Audit target types that are index kinds themselves.
DIRECT = {
    "receipt": "receipt",
    "efile": "file",
    "document": "document",
    "case": "case",
    "rtiapplication": "rti",
}
# Target types indexed as part of another record: (model, field naming the record, kind).
PARTS = {
    "note": (Note, "file_id", "file"),
    "documentversion": (DocumentVersion, "document_id", "document"),
    "documentpage": (DocumentPage, "version__document_id", "document"),
    "caseprogress": (CaseProgress, "case_id", "case"),
    "casecustody": (CaseCustody, "case_id", "case"),
    "casereview": (CaseReview, "case_id", "case"),
    "rtireply": (RtiReply, "application_id", "rti"),
}


def index_keys(targets: Iterable[tuple[str, str]]) -> set[tuple[str, int]]:
    """The (kind, id) index keys of audit targets ((target type, id) pairs); a part that is gone
    (or an id that is not a number) names nothing."""
    keys: set[tuple[str, int]] = set()
    parts: dict[str, set[int]] = {}
    for target_type, target_id in targets:
        try:
            pk = int(target_id)
        except (TypeError, ValueError):
            continue
        if target_type in DIRECT:
            keys.add((DIRECT[target_type], pk))
        elif target_type in PARTS:
            parts.setdefault(target_type, set()).add(pk)
    for target_type, ids in parts.items():
        model, field, kind = PARTS[target_type]
        for owner in model.objects.filter(pk__in=ids).values_list(field, flat=True):
            keys.add((kind, owner))
    return keys


@district_task(retries=2, retry_delay=30)
def search_index_task(targets: list[list[str]]) -> dict[str, int]:
    """Runs on commit of any audited write in the district: the records it wrote are indexed
    again (or dropped from the index when gone). Idempotent; safe to run late or twice."""
    return search_index_records(index_keys((t, i) for t, i in targets))


__all__ = ["index_keys", "search_index_task"]
