"""Writes of OCR: the text read off a document version's pages, an officer's correction of a page,
and a clerk's manual indexing of a page without text. Each is atomic and appends its audit event
(the Document as target) in the same transaction; the search re-indexes the document from its
pages' ``searchable_text`` on those events ("document.ocr", "document.page_correct",
"document.page_index").

Who may correct or index a page: whoever may add papers to the document's owner, as the upload
rule has it (``core.efile.services.documents``): the holder of the file's or receipt's current
post, or for a case's papers whoever may see the case, acting as that post. Unlike an upload, a
closed or parked file and closed dak are no bar: the paper does not change, only what the search
knows of it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.actors import as_post, require_item_held
from core.base.audit import Actor, audit_append
from core.base.storage import stored_path
from core.base.text import clean_text
from core.cases.selectors.papers import case_papers_post
from core.models import Case, Document, DocumentVersion, Post
from core.models.search import DocumentPage
from core.ocr.engine import ocr_available
from core.ocr.reader import PageResult, version_pages

# The longest text of one page an officer may write (a dense A4 page is about 5,000 characters).
PAGE_TEXT_MAX = 20000
NAMES_MAX = 2000
DATES_MAX = DocumentPage._meta.get_field("manual_dates").max_length
CASE_NUMBER_MAX = DocumentPage._meta.get_field("manual_case_number").max_length

# What a page kept from an earlier reading when its version is read again: the officers' work.
_KEPT = (
    "corrected_text",
    "corrected_by_id",
    "corrected_at",
    "manual_names",
    "manual_dates",
    "manual_case_number",
    "indexed_by_id",
    "indexed_at",
)


def _summary(document: Document, version: DocumentVersion) -> str:
    return f"{document.title} v{version.number}"


def _page_row(version: DocumentVersion, result: PageResult, earlier: DocumentPage | None) -> DocumentPage:
    page = DocumentPage(
        version=version,
        number=result.number,
        status=result.status,
        text=result.text,
        confidence=result.confidence,
        read_at=timezone.now(),
    )
    if earlier is not None:
        for field in _KEPT:
            setattr(page, field, getattr(earlier, field))
        if earlier.indexed_at is not None and result.status in (
            DocumentPage.Status.EMPTY,
            DocumentPage.Status.FAILED,
        ):
            page.status = DocumentPage.Status.INDEXED
    return page


def document_ocr(*, version: DocumentVersion, results: list[PageResult] | None = None) -> list[DocumentPage]:
    """Read every page of ``version`` and replace its pages with what was read, as the system.

    Called by ``document_ocr_task`` after an upload or a new version, and by ``manage.py
    ocr_documents``; not by a view. The slow reading happens before the transaction (``results``
    may be given by a caller that has read already); then, atomically and under a lock on the
    version, the old pages go, the new ones are written, corrections and manual indexing of the
    same page numbers are kept (the stored file never changes), and one "document.ocr" event
    records pages, empty and failed counts, the mean confidence and each failure's reason. A file
    that cannot be read gives FAILED pages, never an exception.
    """
    if results is None:
        results = version_pages(
            stored_path(version.stored_name), content_type=version.content_type, ocr=ocr_available()
        )
    with transaction.atomic():
        version = DocumentVersion.objects.select_for_update().select_related("document").get(pk=version.pk)
        earlier = {page.number: page for page in DocumentPage.objects.filter(version=version)}
        DocumentPage.objects.filter(version=version).delete()
        pages = DocumentPage.objects.bulk_create(
            [_page_row(version, result, earlier.get(result.number)) for result in results]
        )
        confidences = [page.confidence for page in pages if page.confidence is not None]
        count = {
            status: sum(page.status == status for page in pages) for status in DocumentPage.Status.values
        }
        audit_append(
            actor=None,
            action="document.ocr",
            target=version.document,
            summary=_summary(version.document, version),
            details={
                "version": version.number,
                "pages": len(pages),
                "read": count["read"],
                "empty": count["empty"],
                "indexed": count["indexed"],
                "failed": count["failed"],
                "mean_confidence": round(sum(confidences) / len(confidences), 1) if confidences else None,
                "text_layer_pages": sum(result.source == "text" for result in results),
                "text_layer_broken_pages": sum(result.text_layer_broken for result in results),
                "failures": {
                    str(r.number): r.reason for r in results if r.status == DocumentPage.Status.FAILED
                },
            },
        )
    return pages


def page_work_post(actor: Actor, document: Document) -> Post:
    """The post ``actor`` corrects and indexes ``document``'s pages as; refused (ValidationError)
    unless they may add papers to its owner (see the module's docstring)."""
    owner = document.file or document.receipt or document.case
    if isinstance(owner, Case):
        return case_papers_post(actor, owner)[1]
    return require_item_held(actor, owner)


def _page_locked(version: DocumentVersion, number) -> DocumentPage:
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 0
    page = (
        DocumentPage.objects.select_for_update().filter(version=version, number=number).first()
        if 0 < number < 2**31
        else None
    )
    if page is None:
        raise ValidationError({"page": [_("This document has no such page.")]}, code="no_page")
    return page


@transaction.atomic
def document_page_correct(*, actor: Actor, version: DocumentVersion, number: int, text: str) -> DocumentPage:
    """Put an officer's corrected text on page ``number`` of ``version``; the search then uses it
    instead of what OCR read. Refused with a form error (nothing written) for a page that does
    not exist, an empty text or one longer than ``PAGE_TEXT_MAX``, and for whoever may not work on
    the document (``page_work_post``). Audited as "document.page_correct", as that post."""
    post = page_work_post(actor, version.document)
    text = clean_text(text, field="text", required=True, max_length=PAGE_TEXT_MAX)
    page = _page_locked(version, number)
    page.corrected_text = text
    page.corrected_by = actor.person
    page.corrected_at = timezone.now()
    page.save(update_fields=["corrected_text", "corrected_by", "corrected_at"])
    audit_append(
        actor=as_post(actor, post),
        action="document.page_correct",
        target=version.document,
        summary=f"{_summary(version.document, version)} p{page.number}",
        details={"version": version.number, "page": page.number, "characters": len(text)},
    )
    return page


@transaction.atomic
def document_page_index(
    *,
    actor: Actor,
    version: DocumentVersion,
    number: int,
    names: str = "",
    dates: str = "",
    case_number: str = "",
) -> DocumentPage:
    """Index by hand a page OCR found no text on (or could not read): the names, dates and case
    number a clerk reads off it, which the search then uses; the page becomes INDEXED. Refused
    with a form error (nothing written) for a page that does not exist, a page OCR read (correct
    its text instead), all three fields empty or any too long, and for whoever may not work on
    the document (``page_work_post``). Audited as "document.page_index", as that post."""
    post = page_work_post(actor, version.document)
    names = clean_text(names, field="names", required=False, max_length=NAMES_MAX)
    dates = clean_text(dates, field="dates", required=False, max_length=DATES_MAX)
    case_number = clean_text(case_number, field="case_number", required=False, max_length=CASE_NUMBER_MAX)
    if not (names or dates or case_number):
        raise ValidationError(_("Fill in at least one of names, dates and case number."), code="nothing")
    page = _page_locked(version, number)
    if page.status == DocumentPage.Status.READ:
        raise ValidationError(
            _("OCR read this page: correct its text instead of indexing it by hand."), code="has_text"
        )
    page.manual_names, page.manual_dates, page.manual_case_number = names, dates, case_number
    page.indexed_by, page.indexed_at = actor.person, timezone.now()
    page.status = DocumentPage.Status.INDEXED
    page.save(
        update_fields=[
            "manual_names",
            "manual_dates",
            "manual_case_number",
            "indexed_by",
            "indexed_at",
            "status",
        ]
    )
    audit_append(
        actor=as_post(actor, post),
        action="document.page_index",
        target=version.document,
        summary=f"{_summary(version.document, version)} p{page.number}",
        details={
            "version": version.number,
            "page": page.number,
            "names": names,
            "dates": dates,
            "case_number": case_number,
        },
    )
    return page


def _read(actor: Actor, version: DocumentVersion, action: str, **details) -> None:
    document = version.document
    audit_append(
        actor=actor,
        action=action,
        target=document,
        summary=_summary(document, version),
        details={"version": version.number, "sha256": version.sha256, **details},
    )


@transaction.atomic
def document_text_record(*, actor: Actor, version: DocumentVersion) -> None:
    """Record that ``actor`` read the text page of ``version``. The caller has checked that they
    may see the document (``access.document_for``); ``actor`` acts as the post giving sight of it."""
    _read(actor, version, "document.text_view")


@transaction.atomic
def document_page_image_record(
    *, actor: Actor, version: DocumentVersion, number: int, offline: bool = False
) -> None:
    """Record that ``actor`` looked at the image of page ``number`` of ``version`` (checked by the
    caller, as above); ``offline``: the browser's offline worker saved it for reading offline (the
    bytes still reached the officer's device, so it is recorded, marked as such)."""
    if offline:
        _read(actor, version, "document.page_view", page=number, saved="offline")
    else:
        _read(actor, version, "document.page_view", page=number)
