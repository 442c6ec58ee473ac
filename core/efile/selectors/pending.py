"""The supervisor's view of files pending in their offices (issue 15, point 4): per office and post,
how many files wait there, by how long they have been at that post.

Who may look: the SP or Addl. SP (every office of the district) and an SDPO over their
sub-division (the SDPO post of an SDPO office: that office and every office below it, as
``core.base.access`` works out supervision). Nobody else, whatever they supervise: an SHO has
their own inbox, a clerk nothing to survey.

Pending means waiting at the post, as the trays count it (``inbox.WAITING``: open or parked). The
age is the time since the file arrived at the post it is at (``arrived_at``). The lists read
through ``files_visible``, so a confidential file is listed only where the pages would open it;
the counts equal them (see ``pending_summary``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.base.access import Viewer, files_visible
from core.base.holders import post_holding_list
from core.efile.selectors.inbox import PAGE_SIZE, WAITING
from core.models import EFile, Office, Post

# Posts that give the view over the offices they head (with every office below).
SURVEY_HEADS = {Office.Kind.SDPO: frozenset({Post.Kind.SDPO})}


@dataclass(frozen=True)
class AgeBucket:
    """Files that arrived at their post at least ``low`` and less than ``high`` days ago."""

    key: str
    label: str
    low: int
    high: int | None

    def q(self, now: datetime.datetime) -> Q:
        q = Q(arrived_at__lte=now - datetime.timedelta(days=self.low)) if self.low else Q()
        if self.high is not None:
            q &= Q(arrived_at__gt=now - datetime.timedelta(days=self.high))
        return q


BUCKETS = (
    AgeBucket("0-3", _("under 3 days"), 0, 3),
    AgeBucket("3-7", _("3 to 7 days"), 3, 7),
    AgeBucket("7-15", _("7 to 15 days"), 7, 15),
    AgeBucket("15-30", _("15 to 30 days"), 15, 30),
    AgeBucket("30-", _("over 30 days"), 30, None),
)
BUCKET_BY_KEY = {bucket.key: bucket for bucket in BUCKETS}


def pending_office_ids(viewer: Viewer) -> frozenset[int]:
    """The offices whose pending files the viewer may survey: empty for anyone but the SP (or
    Addl. SP) and an SDPO heading an SDPO office."""
    if viewer.district_wide:
        return frozenset(Office.objects.values_list("id", flat=True))
    if not viewer.supervising:
        return frozenset()
    scopes = dict(viewer.supervising)
    heads = Post.objects.filter(pk__in=scopes).values_list("pk", "kind", "office__kind")
    return frozenset().union(
        *(scopes[pk] for pk, kind, office_kind in heads if kind in SURVEY_HEADS.get(office_kind, ()))
    )


def pending_allowed(viewer: Viewer) -> bool:
    """Whether the viewer may open the pending view (the navigation shows its link only then)."""
    return viewer.district_wide or bool(viewer.supervising and pending_office_ids(viewer))


@dataclass
class PendingRow:
    """One post: its files pending per age bucket (in ``BUCKETS`` order) and who holds it."""

    post: Post
    counts: list[int]
    holder: object | None = None
    additional_charge: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def cells(self) -> list[tuple[AgeBucket, int]]:
        return list(zip(BUCKETS, self.counts, strict=True))


@dataclass
class PendingOffice:
    office: Office
    rows: list[PendingRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


def _waiting(post_ids):
    return EFile.objects.filter(current_post_id__in=post_ids, status__in=WAITING[EFile])


def _scope_post_ids(office_ids: frozenset[int]) -> list[int]:
    return list(
        Post.objects.filter(office_id__in=office_ids)
        .exclude(kind=Post.Kind.DISTRICT_ADMIN)
        .values_list("id", flat=True)
    )


def _tree_rank(office_ids) -> dict[int, int]:
    """Each office's place in the office tree read top down (an office before the offices under
    it, sister offices by name): the SP office first, then each sub-division with its thanas."""
    rows = list(
        Office.objects.filter(pk__in=office_ids).order_by("name", "id").values_list("id", "parent_id")
    )
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in rows:
        children.setdefault(parent_id if parent_id in office_ids else None, []).append(pk)
    rank: dict[int, int] = {}
    stack = list(reversed(children.get(None, [])))
    while stack:
        current = stack.pop()
        rank[current] = len(rank)
        stack.extend(reversed(children.get(current, [])))
    return rank


def pending_summary(viewer: Viewer, *, now: datetime.datetime | None = None) -> list[PendingOffice]:
    """Per office (in tree order, ``_tree_rank``) and post (by title) in the viewer's survey, the
    files pending there in each age bucket, with the post's holder today (substantive first; else
    additional charge). Posts with nothing pending are left out. One grouped count over the
    waiting index, then the posts and holders of the rows found."""
    offices = pending_office_ids(viewer)
    if not offices:
        return []
    now = now or timezone.now()
    # Not filtered by ``files_visible``: a file waits at a post of an office in the survey, so it has
    # a passage there (a file has one at every post it reached), which is what lets a supervisor of
    # that office see it, confidential or not. The list behind each count does filter; a test
    # holds the two equal. Counted from the ``core_efile_waiting_idx`` index alone (its columns only).
    grouped = (
        _waiting(_scope_post_ids(offices))
        .order_by()
        .values("current_post_id")
        .annotate(
            **{f"b{n}": Count("current_post_id", filter=bucket.q(now)) for n, bucket in enumerate(BUCKETS)}
        )
    )
    counts = {row["current_post_id"]: [row[f"b{n}"] for n in range(len(BUCKETS))] for row in grouped}
    posts = (
        Post.objects.filter(pk__in=counts).select_related("office").order_by("office__name", "title", "id")
    )
    holders: dict[int, tuple[object, bool]] = {}
    for posting in post_holding_list(post_ids=list(counts)):
        holders.setdefault(posting.post_id, (posting.person, posting.additional_charge))
    result: dict[int, PendingOffice] = {}
    for post in posts:
        person, additional = holders.get(post.pk, (None, False))
        result.setdefault(post.office_id, PendingOffice(office=post.office)).rows.append(
            PendingRow(post=post, counts=counts[post.pk], holder=person, additional_charge=additional)
        )
    rank = _tree_rank(offices)
    return sorted(result.values(), key=lambda group: rank.get(group.office.pk, len(rank)))


def pending_post_for(viewer: Viewer, post_id: int | None) -> Post | None:
    """The post if it is in the viewer's survey, else None (the list answers 404)."""
    offices = pending_office_ids(viewer)
    if post_id is None or not offices:
        return None
    return (
        Post.objects.filter(pk=post_id, office_id__in=offices)
        .exclude(kind=Post.Kind.DISTRICT_ADMIN)
        .select_related("office")
        .first()
    )


def pending_files_page(
    viewer: Viewer, *, post: Post, bucket: AgeBucket | None, number=None, now=None
) -> Page:
    """The files pending at ``post`` (in one age bucket, or all), longest waiting first: the
    files a count of ``pending_summary`` stands for, only those the viewer may open."""
    files = files_visible(viewer).filter(current_post_id=post.pk, status__in=WAITING[EFile])
    if bucket is not None:
        files = files.filter(bucket.q(now or timezone.now()))
    files = files.select_related("office", "head").order_by("arrived_at", "id")
    return Paginator(files, PAGE_SIZE).get_page(number)
