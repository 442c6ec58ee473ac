"""URLs of the e-File: documents (upload onto a file or a receipt, versions, download, preview)."""

from django.urls import path

from core.efile.views import documents
from core.ocr import views as ocr_views

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
    # OCR (core.ocr): the text read off each page, its corrections and manual indexing.
    path("<int:document_id>/text/", ocr_views.text, name="efile_document_text"),
    path("<int:document_id>/v<int:number>/text/", ocr_views.text, name="efile_document_version_text"),
    path(
        "<int:document_id>/v<int:number>/text/correct/", ocr_views.correct, name="efile_document_page_correct"
    ),
    path("<int:document_id>/v<int:number>/text/index/", ocr_views.index, name="efile_document_page_index"),
    path(
        "<int:document_id>/v<int:number>/pages/<int:page>.png",
        ocr_views.page_png,
        name="efile_document_page_png",
    ),
    path("to-index/", ocr_views.queue, name="efile_document_index_queue"),
]
