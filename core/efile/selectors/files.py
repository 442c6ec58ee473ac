"""Reads for the file pages: one file's page put together (noting side, correspondence side,
drafts, where it is now), the posts and file heads a person may open a file under, and an office's
file register. The file itself was found through ``core.base.access.file_for``; the register goes
through ``files_visible``, so it shows nothing the viewer may not see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet

from core.base.access import Viewer, files_visible
from core.base.holders import post_holding_list
from core.efile.selectors.dak import register_office_rows
from core.efile.selectors.documents import file_papers
from core.efile.selectors.inbox import item_overdue
from core.efile.selectors.posts import desk_posts
from core.efile.services.drafts import may_decide_at
from core.efile.services.files import file_heads_for
from core.models import Document, Draft, EFile, FileHead, Note, Office, Post, Receipt
from core.templatetags.karyalay import bilingual


@dataclass
class CorrespondenceItem:
    """One paper on the correspondence side: a receipt put in the file, a document, or a letter
    sent out from it, at the time it joined the file."""

    kind: str  # "receipt" | "document" | "dispatch"
    at: datetime.datetime
    item: Receipt | Document | object


@dataclass
class FileDetail:
    file: EFile
    can_act: bool
    holders: list
    notes: list[Note] = field(default_factory=list)
    correspondence: list[CorrespondenceItem] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)
    overdue: bool = False
    # Every paper of the file and of its dak, newest first (``file_papers``), for the reader.
    papers: list[Document] = field(default_factory=list)

    @property
    def documents(self) -> list[Document]:
        """The file's documents (with versions), for the documents panel: read once, here."""
        return [entry.item for entry in self.correspondence if entry.kind == "document"]


def _file_open(file: EFile) -> bool:
    return file.status == EFile.Status.OPEN


def note_editable(note: Note, file: EFile, viewer: Viewer) -> bool:
    """Mirrors note_edit's checks, so pages offer the change only where it would be taken."""
    return (
        _file_open(file)
        and not note.frozen
        and note.author_id == viewer.person_id
        and viewer.holds(note.author_post_id)
    )


def draft_editable(draft: Draft, file: EFile, viewer: Viewer) -> bool:
    """Mirrors draft_edit's checks."""
    return (
        _file_open(file)
        and viewer.holds(file.current_post_id)
        and draft.status in (Draft.Status.PENDING, Draft.Status.RETURNED)
    )


def _notes(file: EFile, viewer: Viewer) -> list[Note]:
    notes = list(Note.objects.filter(file=file).select_related("author", "author_post").order_by("seq"))
    for note in notes:
        note.can_edit = note_editable(note, file, viewer)
    return notes


def _correspondence(file: EFile, documents: list[Document]) -> list[CorrespondenceItem]:
    """The correspondence side in the order papers joined; ``documents`` are the file's own."""
    receipts = Receipt.objects.filter(file=file).select_related("office")
    dispatches = file.dispatches.select_related("office")
    items = [CorrespondenceItem("receipt", r.attached_at or r.created_at, r) for r in receipts]
    items += [CorrespondenceItem("document", d.created_at, d) for d in documents]
    items += [CorrespondenceItem("dispatch", d.created_at, d) for d in dispatches]
    return sorted(items, key=lambda entry: (entry.at, entry.kind, entry.item.pk))


def _drafts(file: EFile, viewer: Viewer, can_act: bool) -> list[Draft]:
    drafts = list(
        Draft.objects.filter(file=file).select_related("author", "author_post", "decided_by", "dispatch")
    )
    for draft in drafts:
        draft.can_edit = draft_editable(draft, file, viewer)
        # Mirrors draft_approve: a holder of the file's post, a supervising one, not the drafting
        # post or person.
        draft.can_decide = (
            can_act
            and may_decide_at(file.current_post)
            and _file_open(file)
            and draft.status == Draft.Status.PENDING
            and draft.author_post_id != file.current_post_id
            and draft.author_id != viewer.person_id
        )
    return drafts


def post_holders(post_id: int) -> list:
    """Today's holders of a post (additional charges after the substantive holder), for display."""
    return [posting.person for posting in post_holding_list(post_ids=[post_id])]


def file_detail(*, file: EFile, viewer: Viewer) -> FileDetail:
    """Everything the file page shows, for a viewer who may see the file."""
    can_act = viewer.holds(file.current_post_id)
    papers = file_papers(file)  # read once: the file's own documents are among them
    return FileDetail(
        file=file,
        can_act=can_act,
        holders=post_holders(file.current_post_id),
        notes=_notes(file, viewer),
        correspondence=_correspondence(file, [paper for paper in papers if paper.file_id == file.pk]),
        drafts=_drafts(file, viewer, can_act),
        overdue=item_overdue(file),
        papers=papers,
    )


# Where a person may open a file: the same desks as for dak.
my_posts_for_files = desk_posts


def post_choice_label(post: Post) -> str:
    return f"{bilingual(post, 'title')} ({bilingual(post.office)})"


def head_choices(posts: list[Post]) -> list[tuple[int, str]]:
    """File heads open to any of these posts' offices (the service checks the head fits the post)."""
    heads: dict[int, FileHead] = {}
    for office in {post.office_id: post.office for post in posts}.values():
        for head in file_heads_for(office):
            heads[head.pk] = head
    ordered = sorted(heads.values(), key=lambda head: (head.code, head.office_id or 0))
    return [(head.pk, f"{head.code} · {bilingual(head)}") for head in ordered]


def register_office_choices(viewer: Viewer) -> list[tuple[int, str]]:
    """The offices whose file register the viewer may open, in tree order, closed ones too (their
    registers remain): the same offices as the dak registers (``register_offices``)."""
    rows = register_office_rows(viewer)
    return [(row.office.pk, "\u2003" * row.depth + bilingual(row.office)) for row in rows]


def file_register(*, viewer: Viewer, office: Office, year: int, status: str = "") -> QuerySet[EFile]:
    """An office's file register for a year: the files opened there that the viewer may see, in
    number order (head, then serial)."""
    files = files_visible(viewer).filter(office=office, year=year)
    if status:
        files = files.filter(status=status)
    return files.select_related("head", "current_post__office", "created_post").order_by(
        "head__code", "serial"
    )
