"""Who may see what in the paperless office. Every list, count, register, search, export, download
and page reads through the filters here, so they cannot disagree.

The rule (issue 5, "who sees what"):

- an officer sees what is at one of their posts today (additional charges included) and what has
  passed through one of them: posts, not people, so a new holder inherits the desk's history;
- a supervisor also sees what is in, or has passed through, the offices under them. Supervision
  goes with the post that heads an office, not with rank alone: an SP or Addl. SP post anywhere
  supervises the whole district; the SDPO post of an SDPO office, the SHO post of a thana, the
  inspector post of a circle office, the DSP post of a DSP headquarters, and a DSP or inspector
  post of a police line (the line DSP, the sergeant major) supervise their own office and every
  office below it. Any other post, whatever its rank (a DSP or inspector in the SP office, an
  inspector in an SDPO office or a thana), supervises nothing and sees only what reaches or passed
  through its own posts;
- a district admin's role gives nothing here: they see only what reaches a post they hold;
- confidential and secret files follow the same rule and nothing wider: only the posts they have
  passed through and the supervisors above those posts.

A receipt put in a file is also visible to whoever sees the file; a document to whoever sees its
file or receipt, or the item of another kind it belongs to (a case's paper to whoever sees the
case): each such kind registers its rule here at start-up (``sight_rule_register``; the cases do
in ``core.cases.access.register``, called by ``CoreConfig.ready``), so this foundation imports no
area. Every read is recorded as the post that gives the reader sight of the item
(``sight_post_id``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from core.base.holders import office_children, office_subtree_ids, posting_rows_today
from core.models import Document, EFile, Office, Passage, Post, Receipt

# Posts whose holders supervise the whole district, wherever the post sits.
DISTRICT_WIDE_KINDS = frozenset({Post.Kind.SP, Post.Kind.ADDL_SP})

# The posts that head each kind of office, and so supervise it and every office below it. A post
# of a supervising rank elsewhere (a DSP in the SP office, an inspector in a thana) heads nothing.
HEAD_POST_KINDS = {
    Office.Kind.SDPO: frozenset({Post.Kind.SDPO}),
    Office.Kind.THANA: frozenset({Post.Kind.SHO}),
    Office.Kind.CIRCLE: frozenset({Post.Kind.INSPECTOR}),
    Office.Kind.DSP_HQ: frozenset({Post.Kind.DSP}),
    Office.Kind.POLICE_LINE: frozenset({Post.Kind.DSP, Post.Kind.INSPECTOR}),
}

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class SightRule:
    """How an area's kind of item is seen, for the documents that belong to it: ``model`` (the
    kind), ``document_field`` (``Document``'s key to it), ``visible(viewer)`` (the items the viewer
    may see, a queryset) and ``post_id(viewer, item)`` (the post that gives sight of one)."""

    kind: str
    model: type
    document_field: str
    visible: Callable[[Viewer], object]
    post_id: Callable[[Viewer, object], int | None]


_RULES: dict[str, SightRule] = {}


def sight_rule_register(
    *, kind: str, model: type, document_field: str, visible: Callable, post_id: Callable
) -> SightRule:
    """Register (or replace) the sight rule of an area's kind of item (idempotent)."""
    rule = SightRule(kind=kind, model=model, document_field=document_field, visible=visible, post_id=post_id)
    _RULES[kind] = rule
    return rule


def heads_office(post_kind: str, office_kind: str) -> bool:
    """Whether a post of ``post_kind`` in an office of ``office_kind`` heads (supervises) it."""
    return post_kind in HEAD_POST_KINDS.get(office_kind, ())


@dataclass(frozen=True)
class Viewer:
    """A person as the e-File sees them today: the posts they hold and the offices they supervise.

    ``supervising`` pairs each post that heads an office with the offices it supervises (its own
    and those below), narrowest first; ``district_post_id`` is their SP or Addl. SP post, if any.
    Both say which post gives sight of an item (``sight_post_id``)."""

    person_id: int | None
    post_ids: frozenset[int] = frozenset()
    scope_office_ids: frozenset[int] = frozenset()
    district_wide: bool = False
    district_post_id: int | None = None
    supervising: tuple[tuple[int, frozenset[int]], ...] = ()

    @property
    def sees_anything(self) -> bool:
        return bool(self.post_ids or self.scope_office_ids or self.district_wide)

    def holds(self, post_id: int | None) -> bool:
        return post_id is not None and post_id in self.post_ids


NOBODY = Viewer(person_id=None)


def _posting_rows(person_id: int, postings) -> list[tuple[int, str, int, str]]:
    """(post, post kind, office, office kind) of each posting in force today, from ``postings``
    (``posting_active_list`` objects a page already read) or else read here."""
    if postings is None:
        rows = [row[:4] for row in posting_rows_today(person_id=person_id)]
    else:
        rows = [(p.post_id, p.post.kind, p.post.office_id, p.post.office.kind) for p in postings]
    return sorted(set(rows))


def viewer_for(person, *, postings=None, posting_rows=None) -> Viewer:
    """The viewer for a person in the current district, from their postings in force today
    (``postings``: those already read by the caller through ``posting_active_list``; or
    ``posting_rows``: the same as ``(post, post kind, office, office kind)`` rows).

    Anonymous people and people without a posting here see nothing.
    """
    if person is None or not getattr(person, "is_authenticated", False) or person.pk is None:
        return NOBODY
    postings = sorted(set(posting_rows)) if posting_rows is not None else _posting_rows(person.pk, postings)
    post_ids = frozenset(row[0] for row in postings)
    district_post_id = next((post for post, kind, _o, _k in postings if kind in DISTRICT_WIDE_KINDS), None)
    supervising: list[tuple[int, frozenset[int]]] = []
    heads = [
        (post, office) for post, kind, office, office_kind in postings if heads_office(kind, office_kind)
    ]
    # The SP sees everything already: no need to walk the tree for them.
    if heads and district_post_id is None:
        children = office_children()
        supervising = sorted(
            ((post, office_subtree_ids(office, children)) for post, office in heads),
            key=lambda pair: (len(pair[1]), pair[0]),
        )
    return Viewer(
        person_id=person.pk,
        post_ids=post_ids,
        scope_office_ids=frozenset().union(*(scope for _post, scope in supervising)),
        district_wide=district_post_id is not None,
        district_post_id=district_post_id,
        supervising=tuple(supervising),
    )


def posting_rows_remember(request, *, person_id: int, rows: list[tuple[int, str, int, str]]) -> None:
    """Keep the person's postings in force today, ``(post, post kind, office, office kind)`` rows
    this request has read already (the access gate's one query,
    ``core.org.selectors.request_access``), so that ``viewer_of`` does not read them again."""
    request._karyalay_posting_rows = (person_id, rows)


def viewer_of(request, *, postings=None) -> Viewer:
    """The signed-in person's viewer, worked out once per request (from ``postings`` when the page
    has read them already, see ``viewer_for``, or from the rows the access gate read)."""
    user = getattr(request, "user", None)
    person_id = getattr(user, "pk", None)
    cached = getattr(request, "_efile_viewer", None)
    if cached is None or cached.person_id != person_id:
        remembered = getattr(request, "_karyalay_posting_rows", None)
        rows = remembered[1] if postings is None and remembered and remembered[0] == person_id else None
        cached = request._efile_viewer = viewer_for(user, postings=postings, posting_rows=rows)
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


def dispatch_visible_q(viewer: Viewer) -> Q:
    """Outward dak the viewer may see, as a filter on ``Dispatch``: entered at one of their posts,
    sent from a file they may see, or (not from a file) entered in an office they supervise."""
    if viewer.district_wide:
        return Q()
    if not viewer.sees_anything:
        return NOTHING
    q = Q(created_post_id__in=viewer.post_ids) | Q(file__in=files_visible(viewer).values("pk"))
    if viewer.scope_office_ids:
        q |= Q(file__isnull=True, office_id__in=viewer.scope_office_ids)
    return q


def files_visible(viewer: Viewer):
    return EFile.objects.filter(file_visible_q(viewer))


def receipts_visible(viewer: Viewer):
    return Receipt.objects.filter(receipt_visible_q(viewer))


def documents_visible(viewer: Viewer):
    """Documents the viewer may see: those of a file or receipt they may see, and those of an item
    of a registered kind they may see (a case's papers to whoever may see the case)."""
    if viewer.district_wide:
        return Document.objects.all()
    if not viewer.sees_anything:
        return Document.objects.none()
    q = Q(file__in=files_visible(viewer).values("pk")) | Q(receipt__in=receipts_visible(viewer).values("pk"))
    for rule in list(_RULES.values()):
        q |= Q(**{f"{rule.document_field}__in": rule.visible(viewer).values("pk")})
    return Document.objects.filter(q)


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


def _passages(item: EFile | Receipt):
    field = "file" if isinstance(item, EFile) else "receipt"
    return Passage.objects.filter(**{field: item.pk})


def _own_post_id(viewer: Viewer, item: EFile | Receipt) -> int | None:
    """The viewer's post the item is at, else the last of their posts it passed through."""
    if viewer.holds(item.current_post_id):
        return item.current_post_id
    if not viewer.post_ids:
        return None
    return (
        _passages(item)
        .filter(post_id__in=viewer.post_ids)
        .order_by("-first_at", "-id")
        .values_list("post_id", flat=True)
        .first()
    )


def office_sight_post_id(viewer: Viewer, office_id: int | None) -> int | None:
    """The post that gives the viewer sight of an office's register: their post in the office
    (the lowest id if several), else the narrowest post supervising it, else their SP or Addl. SP
    post. For every office at once (``office_id`` None): the post with the widest sight."""
    if office_id is None:
        if viewer.district_post_id is not None:
            return viewer.district_post_id
        if viewer.supervising:
            return viewer.supervising[-1][0]
        return min(viewer.post_ids, default=None)
    if viewer.post_ids:
        mine = (
            Post.objects.filter(pk__in=viewer.post_ids, office_id=office_id)
            .order_by("id")
            .values_list("id", flat=True)
            .first()
        )
        if mine is not None:
            return mine
    for post_id, scope in viewer.supervising:
        if office_id in scope:
            return post_id
    return viewer.district_post_id


def sight_post_id(viewer: Viewer, item) -> int | None:
    """The post that gives the viewer sight of ``item``, for the audit trail of what they read:
    the item's current post if they hold it; else one of their posts it passed through (for a
    receipt put in a file, the file's too); else their post that supervises an office the item is
    in or passed through (the narrowest such); else their SP or Addl. SP post. None if nothing
    does (callers have checked the viewer may see the item, so only for people outside the rule).
    An item of a registered kind (a case, or a case's paper) is seen as its rule says."""
    rules = list(_RULES.values())
    if isinstance(item, Document):  # a paper: as the item it belongs to
        document = item
        item = document.file or document.receipt
        for rule in rules:
            if item is None and getattr(document, f"{rule.document_field}_id") is not None:
                item = getattr(document, rule.document_field)
    for rule in rules:
        if isinstance(item, rule.model):
            return rule.post_id(viewer, item)
    if item is None:
        return None
    items = [item]
    if isinstance(item, Receipt) and item.file_id is not None:
        items.append(item.file)
    for each in items:
        post_id = _own_post_id(viewer, each)
        if post_id is not None:
            return post_id
    if viewer.supervising:
        offices = {each.office_id for each in items}
        for each in items:
            offices.update(_passages(each).values_list("office_id", flat=True))
        for post_id, scope in viewer.supervising:
            if scope & offices:
                return post_id
    return viewer.district_post_id


__all__ = [
    "NOBODY",
    "Viewer",
    "acting_post_id",
    "dispatch_visible_q",
    "document_for",
    "documents_visible",
    "file_for",
    "file_visible_q",
    "id_or_none",
    "files_visible",
    "receipt_for",
    "receipt_visible_q",
    "office_sight_post_id",
    "receipts_visible",
    "sight_post_id",
    "viewer_for",
    "viewer_of",
]
