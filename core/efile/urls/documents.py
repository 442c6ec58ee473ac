"""URLs of the e-File: documents (upload onto a file or a receipt, versions, download, preview)."""

from django.urls import path

from core.efile.views import documents

urlpatterns = [
    path("<str:owner_kind>/<int:owner_id>/upload/", documents.upload, name="efile_document_upload"),
    path("<int:document_id>/versions/new/", documents.version_add, name="efile_document_version_add"),
    path("<int:document_id>/download/", documents.download, name="efile_document_download"),
    path(
        "<int:document_id>/v<int:number>/download/",
        documents.download,
        name="efile_document_version_download",
    ),
    path("<int:document_id>/preview.png", documents.preview, name="efile_document_preview"),
    path(
        "<int:document_id>/v<int:number>/preview.png",
        documents.preview,
        name="efile_document_version_preview",
    ),
]
