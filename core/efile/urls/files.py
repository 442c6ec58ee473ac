"""URLs of the e-File: files, their notes and drafts, and the file register. (Moving a file —
send, receive, return … — is in ``urls/inbox.py``.)"""

from django.urls import path

from core.efile.views import files, reader

urlpatterns = [
    path("new/", files.file_create, name="efile_file_create"),
    path("register/", files.register, name="efile_file_register"),
    path("<int:file_id>/", files.file_page, name="efile_file"),
    path("<int:file_id>/read/", reader.file_read, name="efile_file_read"),
    path("<int:file_id>/edit/", files.file_edit, name="efile_file_edit"),
    path("<int:file_id>/notes/", files.note_add, name="efile_note_add"),
    path("<int:file_id>/notes/<int:note_id>/edit/", files.note_edit, name="efile_note_edit"),
    path("<int:file_id>/drafts/new/", files.draft_create, name="efile_draft_create"),
    path("<int:file_id>/drafts/<int:draft_id>/edit/", files.draft_edit, name="efile_draft_edit"),
    path("<int:file_id>/drafts/<int:draft_id>/approve/", files.draft_approve, name="efile_draft_approve"),
    path("<int:file_id>/drafts/<int:draft_id>/return/", files.draft_return, name="efile_draft_return"),
]
