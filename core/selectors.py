"""Reads about offices, posts and postings, shared by views, middleware and later the API."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.models import ADMIN_POST_CODE, Office, Post, Posting


def _active_on(day: datetime.date) -> Q:
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def posting_active_list(*, person_id: int, on: datetime.date | None = None) -> QuerySet[Posting]:
    """The person's postings in the current district that are in force on ``on`` (today)."""
    day = on or timezone.localdate()
    return Posting.objects.filter(_active_on(day), person_id=person_id).select_related("post__office")


def person_post_kinds(*, person_id: int) -> frozenset[str]:
    """The kinds of the posts the person holds today in this district (empty: no posting)."""
    return frozenset(posting_active_list(person_id=person_id).values_list("post__kind", flat=True))


def person_is_district_admin(*, person_id: int) -> bool:
    return posting_active_list(person_id=person_id).filter(post__kind=Post.Kind.DISTRICT_ADMIN).exists()


def officers_posted_count() -> int:
    """People holding at least one posting that has not ended, in this district."""
    return Posting.objects.filter(ends_on__isnull=True).values("person_id").distinct().count()


def office_list() -> QuerySet[Office]:
    return Office.objects.select_related("parent").order_by("phase", "name")


def district_admin_post() -> Post:
    """The post that district admins hold, made when the district was provisioned."""
    return Post.objects.get(code=ADMIN_POST_CODE)


def person_access_here(*, person_id: int) -> tuple[frozenset[str], bool]:
    """In one query: the kinds of the posts the person holds today in this district, and whether
    the district's admin has deactivated them here (an open ``AccessBlock``)."""
    from django.db.models import Exists, OuterRef

    from core.models import AccessBlock

    blocked = AccessBlock.objects.filter(person_id=OuterRef("person_id"), lifted_at__isnull=True)
    rows = list(
        posting_active_list(person_id=person_id)
        .annotate(blocked=Exists(blocked))
        .values_list("post__kind", "blocked")
    )
    return frozenset(kind for kind, _blocked in rows), any(blocked for _kind, blocked in rows)
