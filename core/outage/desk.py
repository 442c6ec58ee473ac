"""What an officer can back-enter for an outage: their posts in the offices it covers, and the
files and dak at those posts (the choices of the back-entry forms, and the lookups of what was
chosen, so a forged id finds nothing)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.base.access import Viewer
from core.base.holders import posting_active_list
from core.models import EFile, Outage, Post, Receipt


@dataclass(frozen=True)
class Desk:
    posts: list[Post]
    files: list[EFile]
    receipts: list[Receipt]

    @property
    def file_options(self) -> list[tuple[int, str]]:
        return [(f.pk, f"{f.number} — {f.subject[:80]}") for f in self.files]

    @property
    def item_options(self) -> list[tuple[str, str]]:
        return [(f"f{f.pk}", f"{f.number} — {f.subject[:80]}") for f in self.files] + [
            (f"r{r.pk}", f"{r.diary_number} — {r.subject[:80]}") for r in self.receipts
        ]

    def post(self, post_id: int) -> Post:
        return next(p for p in self.posts if p.pk == post_id)

    def file(self, file_id: int) -> EFile:
        return next(f for f in self.files if f.pk == file_id)

    def item(self, value: str) -> EFile | Receipt:
        found = [f for f in self.files if f"f{f.pk}" == value] + [
            r for r in self.receipts if f"r{r.pk}" == value
        ]
        return found[0]

    def to_post(self, post_id: int) -> Post:
        post = Post.objects.select_related("office").filter(pk=post_id).first()
        if post is None:
            raise ValidationError({"to_post": [_("Choose a post.")]})
        return post


def desk_for(person, outage: Outage, viewer: Viewer) -> Desk:
    """The person's posts today in the offices ``outage`` covers, and what lies at them now."""
    postings = posting_active_list(person_id=person.pk).exclude(post__kind=Post.Kind.DISTRICT_ADMIN)
    if outage.office_id is not None:
        postings = postings.filter(post__office_id=outage.office_id)
    posts = sorted({p.post for p in postings}, key=lambda post: (post.title, post.pk))
    ids = [post.pk for post in posts]
    files = list(
        EFile.objects.filter(current_post_id__in=ids, status=EFile.Status.OPEN).order_by("-arrived_at")[:300]
    )
    receipts = list(
        Receipt.objects.filter(current_post_id__in=ids, status=Receipt.Status.OPEN).order_by("-arrived_at")[
            :300
        ]
    )
    return Desk(posts=posts, files=files, receipts=receipts)
