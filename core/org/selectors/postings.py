"""Reads about posts and postings (who holds what, on a day; who is a district admin), shared by
views, middleware and the API. Who holds a post on a day, and the office tree, are the foundation's
(``core.base.holders``); the offices' list and tree rows are in ``core.org.selectors.offices``."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from core.base.holders import active_on, posting_active_list, posting_rows_today
from core.models import ADMIN_POST_CODE, Office, Post, Posting
from tenants.models import User


def posting_in_force_list(*, on: datetime.date | None = None) -> QuerySet[Posting]:
    """Every posting of the current district in force on ``on`` (today): who works here, the
    staff directory's and the search's one rule (``core.people``)."""
    return Posting.objects.filter(active_on(on or timezone.localdate()))


def person_post_kinds(*, person_id: int) -> frozenset[str]:
    """The kinds of the posts the person holds today in this district (empty: no posting)."""
    return frozenset(posting_active_list(person_id=person_id).values_list("post__kind", flat=True))


def person_is_district_admin(*, person_id: int) -> bool:
    return posting_active_list(person_id=person_id).filter(post__kind=Post.Kind.DISTRICT_ADMIN).exists()


def officers_posted_count() -> int:
    """People holding at least one posting that has not ended, in this district."""
    return Posting.objects.filter(ends_on__isnull=True).values("person_id").distinct().count()


def district_admin_post() -> Post:
    """The post that district admins hold, made when the district was provisioned."""
    return Post.objects.get(code=ADMIN_POST_CODE)


def person_access_rows(*, person_id: int) -> tuple[list[tuple[int, str, int, str]], bool]:
    """In one query: the person's postings in force today in this district, as ``(post, post kind,
    office, office kind)`` rows (what ``core.base.access.viewer_for`` reads), and whether the
    district's admin has deactivated them here (an open ``AccessBlock``)."""
    rows = posting_rows_today(person_id=person_id)
    return [row[:4] for row in rows], any(row[4] for row in rows)


def person_access_here(*, person_id: int) -> tuple[frozenset[str], bool]:
    """In one query: the kinds of the posts the person holds today in this district, and whether
    the district's admin has deactivated them here (an open ``AccessBlock``)."""
    rows, blocked = person_access_rows(person_id=person_id)
    return frozenset(row[1] for row in rows), blocked


def post_list(*, office: Office) -> list[Post]:
    """The office's posts, each with ``holders`` (postings in force today), ``closed`` set."""
    today = timezone.localdate()
    posts = list(Post.objects.filter(office=office).order_by("title"))
    holders: dict[int, list[Posting]] = {}
    for posting in Posting.objects.filter(active_on(today), post__office=office).select_related("person"):
        holders.setdefault(posting.post_id, []).append(posting)
    for post in posts:
        post.holders = holders.get(post.pk, [])
        post.closed = post.closed_on is not None
    return posts


def posting_list(*, post: Post | None = None, person_id: int | None = None) -> QuerySet[Posting]:
    """Postings of a post or of a person in this district, latest first, with dates."""
    postings = Posting.objects.select_related("person", "post__office").order_by("-starts_on", "-id")
    if post is not None:
        postings = postings.filter(post=post)
    if person_id is not None:
        postings = postings.filter(person_id=person_id)
    return postings


def person_by_login(login_id: str) -> User | None:
    """The account with this login ID (any case), or None (also for text PostgreSQL cannot hold)."""
    login_id = (login_id or "").strip().lower()
    if not login_id or "\x00" in login_id:
        return None
    return User.objects.filter(login_id=login_id).first()
