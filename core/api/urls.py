"""``/api/v1/`` on a district's host (included by ``config.api.urls``)."""

from django.urls import path

from core.api import cases, dak, documents, files, people, rti, search, trays

urlpatterns = [
    path("inbox/", trays.InboxView.as_view(), name="api_inbox"),
    path("sent/", trays.SentView.as_view(), name="api_sent"),
    path("parked/", trays.ParkedView.as_view(), name="api_parked"),
    path("closed/", trays.ClosedView.as_view(), name="api_closed"),
    path("files/<int:file_id>/", files.FileView.as_view(), name="api_file"),
    path("files/<int:file_id>/notes/", files.NoteAddView.as_view(), name="api_file_note_add"),
    path("files/<int:file_id>/send/", files.SendView.as_view(), name="api_file_send"),
    path("files/<int:file_id>/return/", files.ReturnView.as_view(), name="api_file_return"),
    path("files/<int:file_id>/park/", files.ParkView.as_view(), name="api_file_park"),
    path("files/<int:file_id>/close/", files.CloseView.as_view(), name="api_file_close"),
    path("dak/", dak.DiariseView.as_view(), name="api_dak_diarise"),
    path("dak/<int:receipt_id>/", dak.ReceiptView.as_view(), name="api_dak"),
    path("dak/<int:receipt_id>/attach/", dak.AttachView.as_view(), name="api_dak_attach"),
    path("dak/<int:receipt_id>/file/", dak.FileOpenView.as_view(), name="api_dak_file_open"),
    path("file-heads/", files.FileHeadsView.as_view(), name="api_file_heads"),
    path("documents/<int:document_id>/", documents.DocumentView.as_view(), name="api_document"),
    path(
        "documents/<int:document_id>/download/",
        documents.DownloadView.as_view(),
        name="api_document_download",
    ),
    # As the page's upload URL: ``owner_kind`` file, receipt or case.
    path(
        "<str:owner_kind>/<int:owner_id>/documents/",
        documents.UploadView.as_view(),
        name="api_document_upload",
    ),
    path("cases/", cases.CasesView.as_view(), name="api_cases"),
    path("cases/<int:case_id>/", cases.CaseView.as_view(), name="api_case"),
    path("cases/<int:case_id>/progress/", cases.ProgressView.as_view(), name="api_case_progress_add"),
    path("cases/<int:case_id>/custody/", cases.CustodyView.as_view(), name="api_case_custody_move"),
    path("rti/", rti.RtisView.as_view(), name="api_rti_list"),
    path("rti/<int:rti_id>/", rti.RtiView.as_view(), name="api_rti"),
    path("rti/<int:rti_id>/reply/", rti.RtiReplyView.as_view(), name="api_rti_reply"),
    path("search/", search.SearchView.as_view(), name="api_search"),
    path("people/", people.PeopleView.as_view(), name="api_people"),
    path("people/<int:person_id>/", people.PersonView.as_view(), name="api_person"),
]
