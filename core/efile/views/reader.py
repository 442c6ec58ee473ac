"""The file reader: every paper of a file (its own documents and those of each dak put in it),
newest first, read in the page one page image at a time, with page turning and a larger size.

The page images are the OCR pages' own (``core.ocr.views.page_png``: drawn from the stored file,
served inline with ``serving.protect``'s headers, each fetch a ``document.page_view`` event), so
reading a page leaves one event per page looked at and nothing lands in the browser's downloads;
"Download" stays the separate, audited ``documents.download``. The reader's own HTML shows only
what the file page already lists (titles, names, sizes) and records nothing more.

Everything here answers 404 to whoever may not see the file (``item_or_404``), and to a paper
that is not the file's or its dak's, so ids cannot be probed through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from core.base.access import file_for
from core.base.http import item_or_404
from core.efile.selectors.documents import file_papers
from core.models import Document, DocumentVersion, EFile

FIT, WIDE = "fit", "wide"
ZOOMS = (FIT, WIDE)
# The page image's zoom parameter for the larger size (``core.ocr.views.page_png``).
WIDE_IMAGE_ZOOM = "2"


def _number(value: str | None) -> int | None:
    """A positive number from the query string; None when absent; 404 for anything else."""
    if value is None:
        return None
    if not value.isdigit() or len(value) > 9 or int(value) < 1:
        raise Http404
    return int(value)


@dataclass
class Reading:
    """One page of one paper of a file, as the reader shows it."""

    file: EFile
    papers: list[Document]
    document: Document | None = None
    version: DocumentVersion | None = None
    page: int = 1
    zoom: str = FIT

    @property
    def pages(self) -> int:
        return max(self.version.pages, 1) if self.version is not None else 0

    def url(
        self, *, document: Document | None = None, page: int | None = None, zoom: str | None = None
    ) -> str:
        """The reader at another page, paper or size; the same version only for the same paper."""
        same = document is None or (self.document is not None and document.pk == self.document.pk)
        document = self.document if document is None else document
        params = {"doc": document.pk}
        if same and self.version is not None:
            params["v"] = self.version.number
        params["page"] = page or (self.page if same else 1)
        zoom = zoom or self.zoom
        if zoom != FIT:
            params["zoom"] = zoom
        return f"{reverse('efile_file_read', args=[self.file.pk])}?{urlencode(params)}#reader"

    @property
    def image_url(self) -> str:
        url = reverse("efile_document_page_png", args=[self.document.pk, self.version.number, self.page])
        return f"{url}?zoom={WIDE_IMAGE_ZOOM}" if self.zoom == WIDE else url

    @property
    def previous_url(self) -> str:
        return self.url(page=self.page - 1) if self.page > 1 else ""

    @property
    def next_url(self) -> str:
        return self.url(page=self.page + 1) if self.page < self.pages else ""

    @property
    def other_zoom_url(self) -> str:
        return self.url(zoom=FIT if self.zoom == WIDE else WIDE)

    def receipt_url(self, receipt_id: int) -> str:
        """The reader at the newest readable paper of a dak in the file, or "" when it has none."""
        for document in self.papers:
            if document.receipt_id == receipt_id and document.versions.all():
                return self.url(document=document)
        return ""

    @property
    def version_is_latest(self) -> bool:
        versions = self.document.versions.all()
        return bool(versions) and versions[0].number == self.version.number


def reading_for(file: EFile, query=None, *, papers: list[Document] | None = None) -> Reading:
    """The paper, version, page and size named by ``query`` (``doc``, ``v``, ``page``, ``zoom``),
    each defaulting to the newest paper's latest version, page one, fitted to the screen. A paper,
    version or page the file does not have is 404."""
    query = query or {}
    papers = file_papers(file) if papers is None else papers
    reading = Reading(file=file, papers=papers, zoom=WIDE if query.get("zoom") == WIDE else FIT)
    wanted = _number(query.get("doc"))
    if wanted is None:
        candidates = [document for document in papers if document.versions.all()]
        reading.document = candidates[0] if candidates else None
    else:
        reading.document = next((document for document in papers if document.pk == wanted), None)
        if reading.document is None:
            raise Http404
    if reading.document is None:
        return reading
    versions = list(reading.document.versions.all())
    number = _number(query.get("v"))
    reading.version = versions[0] if number is None and versions else None
    if number is not None:
        reading.version = next((version for version in versions if version.number == number), None)
    if reading.version is None:
        raise Http404
    reading.page = _number(query.get("page")) or 1
    if reading.page > reading.pages:
        raise Http404
    return reading


@item_or_404(file_for, method="GET")
def file_read(request, file: EFile):
    """The reader for one page of one of the file's papers, beside the list of them all."""
    reading = reading_for(file, request.GET)
    return render(request, "core/efile/files/read.html", {"file": file, "reading": reading})
