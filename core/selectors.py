"""Reads about offices, posts and postings, shared by views, middleware and later the API."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.models import ADMIN_POST_CODE, Office, Post, Posting
from tenants.models import User


def _active_on(day: datetime.date) -> Q:
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def posting_active_list(*, person_id: int, on: datetime.date | None = None) -> QuerySet[Posting]:
    """The person's postings in the current district that are in force on ``on`` (today)."""
    day = on or timezone.localdate()
    return Posting.objects.filter(_active_on(day), person_id=person_id).select_related("post__office")


def post_holding_list(*, post_ids, on: datetime.date | None = None) -> QuerySet[Posting]:
    """The postings of these posts in force on ``on`` (today), with the person: for each post the
    substantive holder first, then additional charges, each by start. The one holder lookup behind
    the file page's "with", the post pickers' names and whom a notification goes to."""
    day = on or timezone.localdate()
    return (
        Posting.objects.filter(_active_on(day), post_id__in=post_ids)
        .select_related("person")
        .order_by("additional_charge", "starts_on", "id")
    )


def posting_in_force_list(*, on: datetime.date | None = None) -> QuerySet[Posting]:
    """Every posting of the current district in force on ``on`` (today): who works here, the
    staff directory's and the search's one rule (``core.people``)."""
    return Posting.objects.filter(_active_on(on or timezone.localdate()))


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


@dataclass(frozen=True)
class TreeRow:
    office: Office
    depth: int


def office_tree() -> list[TreeRow]:
    """Every office of the district, closed ones too, each after its parent and indented under it:
    SP office → SDPO → circle → thana, siblings by phase and name. Offices whose parent chain is
    broken (none should be) are shown at the top rather than lost."""
    offices = list(office_list())
    children: dict[int | None, list[Office]] = {}
    ids = {office.pk for office in offices}
    for office in offices:
        parent_id = office.parent_id if office.parent_id in ids else None
        children.setdefault(parent_id, []).append(office)
    rows: list[TreeRow] = []
    seen: set[int] = set()

    def walk(parent_id: int | None, depth: int) -> None:
        for office in children.get(parent_id, []):
            if office.pk in seen:
                continue
            seen.add(office.pk)
            rows.append(TreeRow(office=office, depth=depth))
            walk(office.pk, depth + 1)

    walk(None, 0)
    rows += [TreeRow(office=office, depth=0) for office in offices if office.pk not in seen]
    return rows


def office_children() -> dict[int | None, list[int]]:
    """Each office's id under its parent's id (None: the top), in one unordered read."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Office.objects.order_by().values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    return children


def office_subtree_ids(office_id: int, children: dict[int | None, list[int]] | None = None) -> frozenset[int]:
    """The office and every office under it, at any depth. Pass ``children``
    (``office_children()``) to walk several subtrees over one read."""
    if children is None:
        children = office_children()
    found: set[int] = set()
    stack = [office_id]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return frozenset(found)


def office_descendant_ids(office: Office) -> set[int]:
    """The ids of every office under this one, at any depth."""
    return set(office_subtree_ids(office.pk)) - {office.pk}


def office_parent_choices(*, office: Office | None = None) -> QuerySet[Office]:
    """Open offices an office may be put under (not itself nor one of its sub-offices); the
    services still check the kinds."""
    choices = Office.objects.exclude(status=Office.Status.CLOSED).order_by("phase", "name")
    if office is not None:
        choices = choices.exclude(pk__in={office.pk} | office_descendant_ids(office))
    return choices


def post_list(*, office: Office) -> list[Post]:
    """The office's posts, each with ``holders`` (postings in force today), ``closed`` set."""
    today = timezone.localdate()
    posts = list(Post.objects.filter(office=office).order_by("title"))
    holders: dict[int, list[Posting]] = {}
    for posting in Posting.objects.filter(_active_on(today), post__office=office).select_related("person"):
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
