"""Reads of the staff directory: a person's postings in this district today, main one first."""

from __future__ import annotations

from django.db.models import QuerySet

from core.models import Posting
from core.org.selectors.postings import posting_in_force_list


def person_postings(*, person_id: int) -> QuerySet[Posting]:
    """The person's postings in this district in force today, with their posts and offices: the
    substantive posting first (their main post, the office the search files them under), then
    additional charges, each by start."""
    return (
        posting_in_force_list()
        .filter(person_id=person_id)
        .select_related("post__office")
        .order_by("additional_charge", "starts_on", "id")
    )


__all__ = ["person_postings"]
