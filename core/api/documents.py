"""Documents: metadata, download (the page's checks, audit event and protective headers,
``core.base.serving``), and upload onto a file, a receipt or a case (multipart, all or nothing,
as the page's form): plain parts, or finished resumable uploads (``/uploads/``, tus) named by
``resumable-files``, claimed as the page's form claims them (``core.uploads.claim``)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from core.api.base import ApiView, actor, found, responses
from core.api.serializers import DocumentSerializer, UploadInput
from core.api.shapes import document_shape
from core.base import access
from core.base.serving import stored_or_404, stored_serve
from core.cases.access import case_for
from core.efile.services.documents import document_download_record, document_upload
from core.efile.views.documents import version_or_404
from core.models import Case, EFile, Receipt
from core.uploads.claim import request_files

_OWNERS = {"file": access.file_for, "receipt": access.receipt_for, "case": case_for}


class DocumentView(ApiView):
    @extend_schema(
        operation_id="document_read", responses=responses({200: DocumentSerializer}), tags=["documents"]
    )
    def get(self, request, document_id: int):
        """A document's title, owner and versions (no audit event: no content is shown)."""
        return Response(document_shape(found(access.document_for, request, document_id)))


class DownloadView(ApiView):
    rate_limit_kind = "download"

    @extend_schema(
        operation_id="document_download",
        responses=responses(
            {(200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="The stored file")}
        ),
        tags=["documents"],
    )
    def get(self, request, document_id: int):
        """The latest version as stored, as an attachment, with the page's headers (nosniff, a
        sandboxing Content-Security-Policy, no-store); a download in the audit trail."""
        document = found(access.document_for, request, document_id)
        version = version_or_404(document, None)
        path = stored_or_404(version.stored_name)
        document_download_record(actor=actor(request, document), version=version)
        return stored_serve(
            path, content_type=version.content_type, filename=version.original_name, as_attachment=True
        )


class UploadView(ApiView):
    rate_limit_kind = "upload"
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="document_upload",
        parameters=[
            OpenApiParameter("owner_kind", str, OpenApiParameter.PATH, enum=sorted(_OWNERS)),
            OpenApiParameter("owner_id", int, OpenApiParameter.PATH),
        ],
        request={"multipart/form-data": UploadInput},
        responses=responses({201: DocumentSerializer(many=True), 413: responses({})[400]}),
        tags=["documents"],
    )
    def post(self, request, owner_kind: str, owner_id: int):
        """One document per part named ``files`` (or per finished resumable upload named by a
        ``resumable-files`` field: the id at the end of its ``/uploads/`` URL) onto a file's
        correspondence side, a receipt (its scan) or a case's papers; all or none kept.
        ``owner_kind``: file, receipt or case."""
        lookup = _OWNERS.get(owner_kind)
        if lookup is None:
            raise Http404
        item = found(lookup, request, owner_id)
        request.data  # noqa: B018 -- parsed, so the Django request's POST and FILES are the parts
        files, not_there = request_files(request._request)  # plain parts and finished tus uploads
        too_large = list(getattr(request._request, "_karyalay_upload_errors", [])) + not_there
        if too_large:
            raise exceptions.ValidationError({"files": too_large})
        uploads = files.getlist("files")
        documents = document_upload(
            actor=actor(request, item),
            file=item if isinstance(item, EFile) else None,
            receipt=item if isinstance(item, Receipt) else None,
            case=item if isinstance(item, Case) else None,
            uploads=uploads,
            title=str(request.data.get("title", "")),
        )
        return Response([document_shape(d) for d in documents], status=201)
