"""URLs of OCR, under the e-File's documents (``/documents/``, included by ``core.urls``): the text
read off each page, its corrections and manual indexing."""

from django.urls import path

from core.ocr import views

urlpatterns = [
    path("<int:document_id>/text/", views.text, name="efile_document_text"),
    path("<int:document_id>/v<int:number>/text/", views.text, name="efile_document_version_text"),
    path("<int:document_id>/v<int:number>/text/correct/", views.correct, name="efile_document_page_correct"),
    path("<int:document_id>/v<int:number>/text/index/", views.index, name="efile_document_page_index"),
    path(
        "<int:document_id>/v<int:number>/pages/<int:page>.png", views.page_png, name="efile_document_page_png"
    ),
    path("to-index/", views.queue, name="efile_document_index_queue"),
]
