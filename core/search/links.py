"""Where each hit leads: the record's own page (a document: its download, and the page of the
file, dak or case it belongs to; a person: their directory card)."""

from __future__ import annotations

from django.urls import reverse

from core.models import Document
from core.models.search import SearchEntry

Kind = SearchEntry.Kind
PAGES = {
    Kind.RECEIPT: "efile_receipt",
    Kind.FILE: "efile_file",
    Kind.CASE: "case",
    Kind.RTI: "rti",
    Kind.PERSON: "person",  # the staff directory's card (core.people)
}


def _owner_url(document: Document) -> str:
    if document.file_id:
        return reverse("efile_file", args=[document.file_id])
    if document.receipt_id:
        return reverse("efile_receipt", args=[document.receipt_id])
    if document.case_id:
        return reverse("case", args=[document.case_id])
    return ""


def hit_links(entries) -> None:
    """Set ``url`` (and for documents ``owner_url``) on each hit; one read for the documents."""
    doc_ids = [e.object_id for e in entries if e.kind == Kind.DOCUMENT]
    documents = Document.objects.in_bulk(doc_ids) if doc_ids else {}
    for entry in entries:
        entry.owner_url = ""
        if entry.kind == Kind.DOCUMENT:
            document = documents.get(entry.object_id)
            entry.url = reverse("efile_document_download", args=[entry.object_id]) if document else ""
            entry.owner_url = _owner_url(document) if document else ""
        else:
            entry.url = reverse(PAGES[entry.kind], args=[entry.object_id])


def entry_url(entry: SearchEntry) -> str:
    """The page of one record (a document: the page it belongs to)."""
    hit_links([entry])
    return entry.owner_url or entry.url


__all__ = ["entry_url", "hit_links"]
