"""What an office holds open and what is marked to a post, as other parts of a district register it.

Offices and posts outlive the people in them: an office that still holds open records cannot be
closed, and a transfer must leave whatever is marked to a post with the post. This module does not
know what a record is; each area that keeps records registers a counter once, at import time
(the e-File area: "open files in this office", "files marked to this post"):

    records_register(key="efile.files", label=gettext_lazy("open files"),
                     office_count=lambda office: ..., post_count=lambda post: ...)

Counters run under the district's schema, inside the caller's transaction, and must only read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.models import Office, Post

__all__ = [
    "RecordKind",
    "records_register",
    "records_unregister",
    "office_open_records",
    "post_marked_records",
]


@dataclass(frozen=True)
class RecordKind:
    key: str
    label: str
    office_count: Callable[[Office], int] | None = None
    post_count: Callable[[Post], int] | None = None


_KINDS: dict[str, RecordKind] = {}


def records_register(
    *,
    key: str,
    label: str,
    office_count: Callable[[Office], int] | None = None,
    post_count: Callable[[Post], int] | None = None,
) -> RecordKind:
    """Register (or replace) a kind of record: how many an office holds open, how many a post has
    marked to it. Either counter may be left out."""
    kind = RecordKind(key=key, label=label, office_count=office_count, post_count=post_count)
    _KINDS[key] = kind
    return kind


def records_unregister(key: str) -> None:
    _KINDS.pop(key, None)


def office_open_records(office: Office) -> dict[str, int]:
    """{label: count} of the open records the office holds, by every registered kind (non-zero only)."""
    counts = {}
    for kind in list(_KINDS.values()):
        if kind.office_count is not None:
            n = int(kind.office_count(office))
            if n:
                counts[str(kind.label)] = n
    return counts


def post_marked_records(post: Post) -> dict[str, int]:
    """{label: count} of what is marked to the post, by every registered kind (non-zero only)."""
    counts = {}
    for kind in list(_KINDS.values()):
        if kind.post_count is not None:
            n = int(kind.post_count(post))
            if n:
                counts[str(kind.label)] = n
    return counts
