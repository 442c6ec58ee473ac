"""The text of a document as OCR read it, page by page beside the page's image, with forms to
correct a page and to index a page without text by hand; and the queue of pages waiting for that.

Every URL names a document and answers 404 to whoever may not see it (anonymous visitors
included, ``item_or_404``). Reads of the text page and of each page image are audited, like the
document previews.
"""

from __future__ import annotations

import io
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.base.access import document_for, viewer_of
from core.base.actors import actor_for
from core.base.audit import Actor
from core.base.form_errors import service_errors
from core.base.http import item_or_404
from core.base.serving import content_disposition, download_name, protect
from core.base.storage import stored_path
from core.efile.views.documents import owner_url, version_or_404
from core.models import Document, DocumentVersion
from core.ocr import selectors, services
from core.ocr.engine import ocr_available, ocr_missing
from core.ocr.forms import PageCorrectForm, PageIndexForm
from core.ocr.reader import VIEW_SIZE, page_image

QUEUE_PAGE = 50


def text_url(version: DocumentVersion, page: int | None = None) -> str:
    url = reverse("efile_document_version_text", args=[version.document_id, version.number])
    return f"{url}#page-{page}" if page else url


def _text_page(request, document: Document, version: DocumentVersion, *, refused=None, status: int = 200):
    viewer = viewer_of(request)
    can_work = selectors.page_work_allowed(viewer, document)
    pages = selectors.version_pages_list(version)
    failures = selectors.ocr_failures(version) if any(p.status == p.Status.FAILED for p in pages) else {}
    refused_page = refused.data.get("page") if refused is not None else None
    placed = False
    for page in pages:
        page.reason = failures.get(page.number, "")
        if not can_work:
            continue
        page.correct_form = PageCorrectForm(
            initial={"page": page.number, "text": page.corrected_text or page.text},
            auto_id=f"c{page.number}_%s",
        )
        page.index_form = PageIndexForm(
            initial={
                "page": page.number,
                "names": page.manual_names,
                "dates": page.manual_dates,
                "case_number": page.manual_case_number,
            },
            auto_id=f"i{page.number}_%s",
        )
        if refused is not None and refused_page == str(page.number):
            if isinstance(refused, PageCorrectForm):
                page.correct_form, placed = refused, True
            elif page.status != page.Status.READ:  # a read page shows no index form: say it on top
                page.index_form, placed = refused, True
    context = {
        "document": document,
        "version": version,
        "versions": list(document.versions.order_by("-number").values_list("number", flat=True)),
        "owner_url": owner_url(document.file or document.receipt or document.case),
        "pages": pages,
        "can_work": can_work,
        "ocr_available": ocr_available(),
        "ocr_missing": ocr_missing(),
        "refused": refused if refused is not None and not placed else None,
    }
    return render(request, "core/ocr/text.html", context, status=status)


@item_or_404(document_for, method="GET")
def text(request, document: Document, number: int | None = None):
    """The text read off each page of the document's latest version (or the one named), beside
    the page's image, with its confidence."""
    version = version_or_404(document, number)
    services.document_text_record(actor=actor_for(request, document), version=version)
    return _text_page(request, document, version)


def _page_write(request, document: Document, number: int, form_class, service, fields):
    version = version_or_404(document, number)
    page_id = request.POST.get("page", "")
    kind = "c" if form_class is PageCorrectForm else "i"
    form = form_class(
        request.POST, auto_id=f"{kind}{page_id}_%s" if page_id.isdigit() and len(page_id) < 11 else "id_%s"
    )
    if form.is_valid():
        try:
            page = service(
                actor=Actor.from_request(request),
                version=version,
                number=form.cleaned_data["page"],
                **{field: form.cleaned_data[field] for field in fields},
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            return page, None
    return None, _text_page(request, document, version, refused=form)


@item_or_404(document_for, method="POST")
def correct(request, document: Document, number: int):
    """Save an officer's correction of one page's text (``services.document_page_correct``)."""
    page, refused = _page_write(
        request, document, number, PageCorrectForm, services.document_page_correct, ["text"]
    )
    if refused is not None:
        return refused
    messages.success(request, _("The text of page %(n)d was corrected.") % {"n": page.number})
    return redirect(text_url(page.version, page.number))


@item_or_404(document_for, method="POST")
def index(request, document: Document, number: int):
    """Save a clerk's manual indexing of a page without text (``services.document_page_index``)."""
    page, refused = _page_write(
        request,
        document,
        number,
        PageIndexForm,
        services.document_page_index,
        ["names", "dates", "case_number"],
    )
    if refused is not None:
        return refused
    messages.success(request, _("Page %(n)d was indexed.") % {"n": page.number})
    return redirect(text_url(page.version, page.number))


@item_or_404(document_for, method="GET")
def page_png(request, document: Document, number: int, page: int):
    """One page of a version as a greyscale PNG, drawn from the stored file on demand."""
    version = version_or_404(document, number)
    path = stored_path(version.stored_name)
    # ?zoom=2: twice the size, for the file reader's enlarged view (core.efile.views.reader).
    size = VIEW_SIZE * 2 if request.GET.get("zoom") == "2" else VIEW_SIZE
    image = (
        page_image(path, content_type=version.content_type, number=page, size=size)
        if path.is_file()
        else None
    )
    if image is None:
        raise Http404
    out = io.BytesIO()
    # Not optimize=True: it made a 2,000-pixel page (the reader's enlarged size) 2% smaller and
    # took longer than drawing it; every page turn waits for this.
    image.save(out, format="PNG", optimize=False)
    services.document_page_image_record(
        actor=actor_for(request, document),
        version=version,
        number=page,
        offline=request.headers.get("X-Karyalay-Offline") == "save",  # static/offline/sw.js
    )
    response = HttpResponse(out.getvalue(), content_type="image/png")
    name = f"{os.path.splitext(version.original_name)[0]}-page-{page}"
    response["Content-Disposition"] = content_disposition(False, download_name(name, "image/png"))
    return protect(response)


@login_required
@require_GET
def queue(request):
    """Pages waiting for manual indexing among the documents the viewer may see."""
    pages = selectors.pages_to_index(viewer_of(request))
    page = Paginator(pages, QUEUE_PAGE).get_page(request.GET.get("page"))
    return render(request, "core/ocr/queue.html", {"page": page, "ocr_available": ocr_available()})
