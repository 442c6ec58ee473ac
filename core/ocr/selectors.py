"""Reads of OCR, every one through the e-File's document visibility rule (``core.base.access``):
the pages of a version the caller may see, the reasons pages could not be read, and the queue of
pages waiting for manual indexing."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from core.base.access import Viewer, documents_visible
from core.cases.access import case_post_id
from core.models import AuditEvent, Case, Document, DocumentVersion
from core.models.search import DocumentPage
from core.ocr.engine import reason_text


def version_pages_list(version: DocumentVersion) -> list[DocumentPage]:
    """The pages read off ``version`` (the caller checked the viewer may see its document)."""
    return list(DocumentPage.objects.filter(version=version).order_by("number"))


def ocr_failures(version: DocumentVersion) -> dict[int, str]:
    """Why pages of ``version`` could not be read, from its latest reading: {page: reason}, each
    reason in the current language."""
    event = (
        AuditEvent.objects.filter(
            action="document.ocr",
            target_type="document",
            target_id=str(version.document_id),
            details__version=version.number,
        )
        .order_by("-id")
        .values_list("details", flat=True)
        .first()
    )
    failures = (event or {}).get("failures") or {}
    return {int(number): reason_text(str(why)) for number, why in failures.items() if str(number).isdigit()}


def page_work_allowed(viewer: Viewer, document: Document) -> bool:
    """Whether the viewer may correct and index the document's pages (as ``services.page_work_post``
    decides; this only says whether to show the forms)."""
    owner = document.file or document.receipt or document.case
    if isinstance(owner, Case):
        return case_post_id(viewer, owner) is not None
    return viewer.holds(owner.current_post_id)


def pages_to_index(viewer: Viewer):
    """Pages waiting for manual indexing (EMPTY) in the latest version of each document the viewer
    may see, oldest upload first, with their version and document."""
    latest = (
        DocumentVersion.objects.filter(document=OuterRef("version__document"))
        .order_by("-number")
        .values("number")[:1]
    )
    return (
        DocumentPage.objects.filter(
            status=DocumentPage.Status.EMPTY,
            version__document__in=documents_visible(viewer).values("pk"),
            version__number=Subquery(latest),
        )
        .select_related("version__document")
        .order_by("version__uploaded_at", "version_id", "number")
    )
