"""Reads of documents: an item's papers with their versions, for the documents panel and the
file page's correspondence side (one definition, so both show the same)."""

from __future__ import annotations

from django.db.models import Prefetch

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
