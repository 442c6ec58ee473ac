"""Telling people that something reached their post: in-app rows now, email after commit.

A notification goes to every person holding the post today (additional charges included), stored
as a kind and an item, so it reads in the language of whoever opens it.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from core.models import EFile, Notification, Post, Posting, Receipt


def post_holder_ids(post: Post | int) -> list[int]:
    """The people holding the post today."""
    today = timezone.localdate()
    post_id = post.pk if isinstance(post, Post) else post
    return list(
        Posting.objects.filter(post_id=post_id, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values_list("person_id", flat=True)
        .distinct()
    )


def notify_arrived(
    *, item: EFile | Receipt, post: Post, exclude_person_id: int | None = None
) -> list[Notification]:
    """A file or a receipt arrived at ``post``: one notification per holder (not the sender)."""
    is_file = isinstance(item, EFile)
    kind = Notification.Kind.FILE_ARRIVED if is_file else Notification.Kind.DAK_ARRIVED
    rows = [
        Notification(
            person_id=person_id,
            kind=kind,
            post=post,
            file=item if is_file else None,
            receipt=None if is_file else item,
        )
        for person_id in post_holder_ids(post)
        if person_id != exclude_person_id
    ]
    return Notification.objects.bulk_create(rows)
