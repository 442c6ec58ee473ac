"""Who may see what in the paperless office. Every list, count, register, search, export, download
and page reads through the filters here, so they cannot disagree.

The rule (issue 5, "who sees what"):

- an officer sees what is at one of their posts today (additional charges included) and what has
  passed through one of them: posts, not people, so a new holder inherits the desk's history;
- a supervisor also sees what is in, or has passed through, the offices under them: the SP and
  Addl. SP the whole district; an SDPO, DSP, inspector or SHO their own office and every office
  below it (an SDPO's sub-division, a circle, a thana);
- a district admin's role gives nothing here: they see only what reaches a post they hold;
- confidential and secret files follow the same rule and nothing wider: only the posts they have
  passed through and the supervisors above those posts.

A receipt put in a file is also visible to whoever sees the file; a document to whoever sees its
file or receipt.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from core.models import Document, EFile, Office, Passage, Post, Posting, Receipt
from core.officer_list import SUPERVISOR_KINDS

# Posts whose holders supervise the whole district.
DISTRICT_WIDE_KINDS = frozenset({Post.Kind.SP, Post.Kind.ADDL_SP})

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Viewer:
    """A person as the e-File sees them today: the posts they hold and the offices they supervise."""

    person_id: int | None
    post_ids: frozenset[int] = frozenset()
    scope_office_ids: frozenset[int] = frozenset()
    district_wide: bool = False

    @property
    def sees_anything(self) -> bool:
        return bool(self.post_ids or self.scope_office_ids or self.district_wide)

    def holds(self, post_id: int | None) -> bool:
        return post_id is not None and post_id in self.post_ids


NOBODY = Viewer(person_id=None)


def _office_children() -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Office.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    return children


def viewer_for(person) -> Viewer:
    """The viewer for a person in the current district, from their postings in force today.

    Anonymous people and people without a posting here see nothing.
    """
    if person is None or not getattr(person, "is_authenticated", False) or person.pk is None:
        return NOBODY
    today = timezone.localdate()
    postings = list(
        Posting.objects.filter(person_id=person.pk, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values_list("post_id", "post__kind", "post__office_id")
    )
    post_ids = frozenset(post_id for post_id, _kind, _office in postings)
    district_wide = any(kind in DISTRICT_WIDE_KINDS for _post, kind, _office in postings)
    scope: set[int] = set()
    roots = [office for _post, kind, office in postings if kind in SUPERVISOR_KINDS]
    if roots and not district_wide:
        children = _office_children()
        stack = list(roots)
        while stack:
            office_id = stack.pop()
            if office_id not in scope:
                scope.add(office_id)
                stack.extend(children.get(office_id, []))
    return Viewer(
        person_id=person.pk,
        post_ids=post_ids,
        scope_office_ids=frozenset(scope),
        district_wide=district_wide,
    )


def viewer_of(request) -> Viewer:
    """The signed-in person's viewer, worked out once per request."""
    user = getattr(request, "user", None)
    cached = getattr(request, "_efile_viewer", None)
    if cached is None or cached.person_id != getattr(user, "pk", None):
        cached = request._efile_viewer = viewer_for(user)
    return cached


def file_visible_q(viewer: Viewer) -> Q:
    """Files the viewer may see, as a filter on ``EFile``."""
    if viewer.district_wide:
        return Q()
    if not viewer.sees_anything:
        return NOTHING
    passed = Passage.objects.filter(file__isnull=False)
    q = Q(current_post_id__in=viewer.post_ids) | Q(
        pk__in=passed.filter(post_id__in=viewer.post_ids).values("file_id")
    )
    if viewer.scope_office_ids:
        q |= Q(office_id__in=viewer.scope_office_ids) | Q(
            pk__in=passed.filter(office_id__in=viewer.scope_office_ids).values("file_id")
        )
    return q


def receipt_visible_q(viewer: Viewer) -> Q:
    """Receipts (dak) the viewer may see, as a filter on ``Receipt``."""
    if viewer.district_wide:
        return Q()
    if not viewer.sees_anything:
        return NOTHING
    passed = Passage.objects.filter(receipt__isnull=False)
    q = (
        Q(current_post_id__in=viewer.post_ids)
        | Q(pk__in=passed.filter(post_id__in=viewer.post_ids).values("receipt_id"))
        | Q(file__in=EFile.objects.filter(file_visible_q(viewer)).values("pk"))
    )
    if viewer.scope_office_ids:
        q |= Q(office_id__in=viewer.scope_office_ids) | Q(
            pk__in=passed.filter(office_id__in=viewer.scope_office_ids).values("receipt_id")
        )
    return q


def files_visible(viewer: Viewer):
    return EFile.objects.filter(file_visible_q(viewer))


def receipts_visible(viewer: Viewer):
    return Receipt.objects.filter(receipt_visible_q(viewer))


def documents_visible(viewer: Viewer):
    if viewer.district_wide:
        return Document.objects.all()
    if not viewer.sees_anything:
        return Document.objects.none()
    return Document.objects.filter(
        Q(file__in=files_visible(viewer).values("pk")) | Q(receipt__in=receipts_visible(viewer).values("pk"))
    )


def id_or_none(value) -> int | None:
    """A primary key from a URL or form, or None for anything that cannot be one (no 500s)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def file_for(viewer: Viewer, file_id) -> EFile | None:
    """The file if the viewer may see it, else None (views answer 404 either way)."""
    file_id = id_or_none(file_id)
    if file_id is None:
        return None
    return (
        files_visible(viewer)
        .select_related("office", "head", "current_post__office")
        .filter(pk=file_id)
        .first()
    )


def receipt_for(viewer: Viewer, receipt_id) -> Receipt | None:
    receipt_id = id_or_none(receipt_id)
    if receipt_id is None:
        return None
    return (
        receipts_visible(viewer)
        .select_related("office", "current_post__office", "file")
        .filter(pk=receipt_id)
        .first()
    )


def document_for(viewer: Viewer, document_id) -> Document | None:
    document_id = id_or_none(document_id)
    if document_id is None:
        return None
    return documents_visible(viewer).filter(pk=document_id).first()


def acting_post_id(viewer: Viewer, item: EFile | Receipt) -> int | None:
    """The post the viewer acts as on an item they hold: the item's current post, if it is theirs."""
    return item.current_post_id if viewer.holds(item.current_post_id) else None


__all__ = [
    "NOBODY",
    "Viewer",
    "acting_post_id",
    "document_for",
    "documents_visible",
    "file_for",
    "file_visible_q",
    "id_or_none",
    "files_visible",
    "receipt_for",
    "receipt_visible_q",
    "receipts_visible",
    "viewer_for",
    "viewer_of",
]
