"""The search's one write: the audit event of a search."""

from __future__ import annotations

from django.db import transaction

from core.base.audit import Actor, audit_append


@transaction.atomic
def search_query_record(
    *, actor: Actor, q: str, filters: dict, counts: dict[str, int], jumped_to: str = ""
) -> None:
    """Record that the actor searched for ``q`` (with ``filters``) and how many records of each
    kind they were shown (``jumped_to``: "kind:id" when the search went straight to a record).
    Called by the search page after the search; the event's summary is the query itself."""
    audit_append(
        actor=actor,
        action="search.query",
        summary=q[:300],
        details={"q": q, "filters": filters, "counts": counts, "jumped_to": jumped_to},
    )


__all__ = ["search_query_record"]
