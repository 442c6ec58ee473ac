"""Reads of documents: an item's papers with their versions, for the documents panel and the
file page's correspondence side (one definition, so both show the same)."""

from __future__ import annotations

from django.db.models import Prefetch, Q

from core.models import Document, DocumentVersion, EFile, Receipt


def item_documents(owner: EFile | Receipt | None) -> list[Document]:
    """The documents of a file or a receipt (callers checked the viewer may see it), oldest first,
    each with ``versions`` newest first and their uploaders: two queries whatever their number."""
    if owner is None or owner.pk is None:
        return []
    documents = Document.objects.filter(**{"file" if isinstance(owner, EFile) else "receipt": owner})
    versions = DocumentVersion.objects.select_related("uploaded_by").order_by("-number")
    return list(
        documents.order_by("created_at", "id").prefetch_related(Prefetch("versions", queryset=versions))
    )


def file_papers(file: EFile) -> list[Document]:
    """Every document of a file: its own and those of each dak put in it (the caller checked the
    viewer may see the file, and so those receipts: ``access.receipt_visible_q``), newest first,
    each with ``versions`` newest first and its ``receipt``: two queries whatever their number."""
    if file is None or file.pk is None:
        return []
    versions = DocumentVersion.objects.select_related("uploaded_by").order_by("-number")
    documents = Document.objects.filter(Q(file=file) | Q(receipt__file=file)).select_related("receipt")
    return list(
        documents.order_by("-created_at", "-id").prefetch_related(Prefetch("versions", queryset=versions))
    )
