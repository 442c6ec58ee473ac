"""Posts: the desks of an office (SP, SDPO, SHO, clerk … or a custom one). Files and dak are
marked to posts, so a post outlives each of its holders."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.base.audit import Actor, audit_append
from core.base.records import post_marked_records
from core.models import Office, Post, Posting

# Post has no closed flag yet: a closed post is one whose last close/reopen event is a close.
POST_CLOSE = "post.close"


def _title(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Give the post's title in English.")})
    return title


@transaction.atomic
def post_create(
    *, office: Office, code: str, title: str, title_hi: str = "", kind: str, actor: Actor | None = None
) -> Post:
    """Create a post in an office.

    With an ``actor`` (a district admin) the code must be new, the type one of ``Post.Kind`` (a
    custom post is "other" with its own title) and the office open. Without one (seeding) the post
    with this code is returned unchanged if it exists. A new post is in the audit trail.
    """
    if actor is None:
        existing = Post.objects.filter(code=code).first()
        if existing is not None:
            return existing
    else:
        if not code or slugify(code) != code:
            raise ValidationError({"code": _("The code must be lower-case letters, digits and hyphens.")})
        if Post.objects.filter(code=code).exists():
            raise ValidationError({"code": _("A post with the code “%(code)s” exists.") % {"code": code}})
        if kind not in Post.Kind.values:
            raise ValidationError({"kind": _("Choose the type of post.")})
        title = _title(title)
        office = Office.objects.select_for_update().get(pk=office.pk)
        if office.status == Office.Status.CLOSED:
            raise ValidationError(_("%(office)s is closed; it takes no new posts.") % {"office": office.name})
    post = Post.objects.create(
        office=office, code=code, title=title, title_hi=" ".join((title_hi or "").split()), kind=kind
    )
    audit_append(
        actor=actor,
        action="post.create",
        target=post,
        summary=post.title,
        details={"code": code, "kind": kind, "office": office.code},
    )
    return post


@transaction.atomic
def post_update(*, actor: Actor, post: Post, title: str, title_hi: str = "") -> Post:
    """Change a post's titles. Its type, office and code stay. District admins."""
    locked = Post.objects.select_for_update().get(pk=post.pk)
    before = [locked.title, locked.title_hi]
    locked.title, locked.title_hi = _title(title), " ".join((title_hi or "").split())
    locked.save(update_fields=["title", "title_hi"])
    audit_append(
        actor=actor,
        action="post.update",
        target=locked,
        summary=locked.title,
        details={"before": before, "after": [locked.title, locked.title_hi]},
    )
    return locked


def post_holdings(post: Post) -> dict[str, int]:
    """{what: how many} the post still has: postings in force or starting later, and whatever is
    marked to it (``core.base.records``)."""
    holdings = {}
    postings = Posting.objects.filter(post=post).exclude(ends_on__lt=timezone.localdate()).count()
    if postings:
        holdings[str(_("postings not ended"))] = postings
    holdings.update(post_marked_records(post))
    return holdings


@transaction.atomic
def post_close(*, actor: Actor, post: Post) -> Post:
    """Close a post: it takes no new postings; it stays, with its history.

    Refused while anyone holds it (now or from a later date) or anything is marked to it.
    District admins.
    """
    locked = Post.objects.select_for_update().get(pk=post.pk)
    if locked.closed_on is not None:
        raise ValidationError(_("%(post)s is closed.") % {"post": locked.title})
    holdings = post_holdings(locked)
    if holdings:
        raise ValidationError(
            _("%(post)s cannot close: %(what)s. End the postings and move what is marked to it first.")
            % {"post": locked.title, "what": ", ".join(f"{label}: {n}" for label, n in holdings.items())},
            code="holds_records",
        )
    locked.closed_on = timezone.localdate()
    locked.save(update_fields=["closed_on"])
    audit_append(actor=actor, action=POST_CLOSE, target=locked, summary=locked.title)
    return locked
