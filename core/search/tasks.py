"""The tasks that keep a district's search index current: ``search_index_task`` (enqueued on commit
by ``hook``) and ``search_people_refresh_task`` (nightly: who is posted changes with the date)."""

from __future__ import annotations

from collections.abc import Iterable

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from core.base.districts import each_district
from core.models import (
    CaseCustody,
    CaseProgress,
    CaseReview,
    DocumentPage,
    DocumentVersion,
    Note,
    Office,
    Post,
    Posting,
    RtiReply,
)
from core.models.search import SearchEntry
from core.search.builders import every_id
from core.search.index import search_index_records
from tenants.tasks import district_task

# Audit target types that are index kinds themselves.
DIRECT = {
    "receipt": "receipt",
    "efile": "file",
    "document": "document",
    "case": "case",
    "rtiapplication": "rti",
    "user": "person",  # officer.add, officer.transfer …: the person's account
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
    # A posting begun, ended or transferred: its person. A post or office renamed: the people who
    # hold or held it (those no longer posted here have no row to write).
    "posting": (Posting, "person_id", "person"),
    "post": (Post, "postings__person_id", "person"),
    "office": (Office, "posts__postings__person_id", "person"),
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
            if owner is not None:  # a post or office nobody has held
                keys.add((kind, owner))
    return keys


@district_task(retries=2, retry_delay=30)
def search_index_task(targets: list[list[str]]) -> dict[str, int]:
    """Runs on commit of any audited write in the district: the records it wrote are indexed
    again (or dropped from the index when gone). Idempotent; safe to run late or twice."""
    return search_index_records(index_keys((t, i) for t, i in targets))


def search_people_refresh() -> dict[str, int]:
    """Bring the current district's people rows up to date with today's date: a posting that
    ended yesterday, or begins today, changes who is posted here without any write that day (and
    names changed on the state console are written in the public schema, which the hook does not
    see). Every person with a row or posted here today is indexed again. Idempotent."""
    indexed = SearchEntry.objects.filter(kind=SearchEntry.Kind.PERSON).values_list("object_id", flat=True)
    ids = set(indexed) | set(every_id(SearchEntry.Kind.PERSON))
    return search_index_records((SearchEntry.Kind.PERSON, pk) for pk in ids)


@db_periodic_task(crontab(hour="0", minute="20"))
def search_people_refresh_task() -> dict[str, dict[str, int]]:
    """Every night at 00:20, in every live district: ``search_people_refresh``. A district that
    fails is logged and the others still run. Returns {schema name: counts}."""
    return each_district(search_people_refresh, failure="Refreshing the people of the search failed")


__all__ = ["index_keys", "search_index_task", "search_people_refresh", "search_people_refresh_task"]
