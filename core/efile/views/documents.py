"""Document pages: upload papers to a file, a receipt or a case, add a version, download, preview.

Every URL names an item, so every view answers 404 to whoever may not see it (anonymous visitors
included, ``item_view``). Downloads and previews are served only from here, after the permission
check and the audit event, with headers that keep a browser from running what it fetches:
``nosniff``, a sandboxing Content-Security-Policy, ``attachment`` for the papers themselves.
Behind nginx (``KARYALAY_X_ACCEL_PREFIX``) the view answers with ``X-Accel-Redirect`` and nginx
sends the bytes.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.base.access import document_for, file_for, receipt_for, viewer_of
from core.base.actors import actor_for
from core.base.http import item_view
from core.base.serving import stored_or_404, stored_serve
from core.base.uploads.limits import upload_errors
from core.cases.access import case_for
from core.efile.services.documents import (
    document_download_record,
    document_preview_record,
    document_upload,
    document_version_add,
)
from core.models import Case, Document, DocumentVersion, EFile, Receipt
from core.uploads.claim import request_files

OWNER_KINDS = ("file", "receipt", "case")


def owner_url(owner) -> str:
    if isinstance(owner, EFile):
        return reverse("efile_file", args=[owner.pk])
    if isinstance(owner, Case):
        return f"{reverse('case', args=[owner.pk])}#papers"
    return reverse("efile_receipt", args=[owner.pk])


def _owner_or_404(request, owner_kind: str, owner_id):
    viewer = viewer_of(request)
    owner = None
    if owner_kind == "file":
        owner = file_for(viewer, owner_id)
    elif owner_kind == "receipt":
        owner = receipt_for(viewer, owner_id)
    elif owner_kind == "case":
        owner = case_for(viewer, owner_id)
    if owner is None:
        raise Http404
    return owner


def _document_or_404(request, document_id) -> Document:
    document = document_for(viewer_of(request), document_id)
    if document is None:
        raise Http404
    return document


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@item_view
@require_POST
def upload(request, owner_kind: str, owner_id: int):
    """Several files at once onto a file's correspondence side, a receipt or a case; all or none
    kept."""
    owner = _owner_or_404(request, owner_kind, owner_id)
    files, not_there = request_files(request)  # plain uploads and finished resumable ones
    too_large = upload_errors(request) + not_there
    if too_large:
        for message in too_large:
            messages.error(request, message)
        return redirect(owner_url(owner))
    try:
        documents = document_upload(
            actor=actor_for(request, owner),
            file=owner if isinstance(owner, EFile) else None,
            receipt=owner if isinstance(owner, Receipt) else None,
            case=owner if isinstance(owner, Case) else None,
            uploads=files.getlist("files"),
            title=request.POST.get("title", ""),
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        count = len(documents)
        messages.success(
            request, ngettext("%(n)d document uploaded.", "%(n)d documents uploaded.", count) % {"n": count}
        )
    return redirect(owner_url(owner))


@item_view
@require_POST
def version_add(request, document_id: int):
    """A new version of a document; the earlier ones stay."""
    document = _document_or_404(request, document_id)
    owner = document.file or document.receipt or document.case
    files, not_there = request_files(request)  # plain uploads and finished resumable ones
    too_large = upload_errors(request) + not_there
    uploads = files.getlist("file")
    if too_large:
        for message in too_large:
            messages.error(request, message)
    elif len(uploads) != 1:
        messages.error(request, _("Choose one file for the new version."))
    else:
        try:
            version = document_version_add(
                actor=actor_for(request, owner), document=document, upload=uploads[0]
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                _("Version %(n)d of %(title)s uploaded.") % {"n": version.number, "title": document.title},
            )
    return redirect(owner_url(owner))


def version_or_404(document: Document, number: int | None) -> DocumentVersion:
    """The document's version ``number`` (its latest when None); 404 when it has none such."""
    versions = document.versions.select_related("document")
    if number is None:
        version = versions.order_by("-number").first()
    elif 0 < number < 2**31:
        version = versions.filter(number=number).first()
    else:
        version = None
    if version is None:
        raise Http404
    return version


@item_view
@require_GET
def download(request, document_id: int, number: int | None = None):
    """The document as stored (its latest version, or the one named), as an attachment named by
    the type its content was checked to be (``serving.download_name``)."""
    document = _document_or_404(request, document_id)
    version = version_or_404(document, number)
    path = stored_or_404(version.stored_name)
    document_download_record(actor=actor_for(request, document), version=version)
    return stored_serve(
        path, content_type=version.content_type, filename=version.original_name, as_attachment=True
    )


@item_view
@require_GET
def preview(request, document_id: int, number: int | None = None):
    """Page one of the document as a PNG, shown inline."""
    document = _document_or_404(request, document_id)
    version = version_or_404(document, number)
    if not version.preview_name:
        raise Http404
    path = stored_or_404(version.preview_name)
    document_preview_record(actor=actor_for(request, document), version=version)
    return stored_serve(path, content_type="image/png", filename=version.original_name, as_attachment=False)
