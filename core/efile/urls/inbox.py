"""URLs of the e-File: the trays, notifications, and a file's movement (``files/<id>/send/`` …),
kept here so that the files area owns ``urls/files.py`` alone."""

from django.urls import path

from core.efile.views import inbox, movement, pending

urlpatterns = [
    path("inbox/", inbox.inbox, name="efile_inbox"),
    path("inbox/sent/", inbox.sent, name="efile_sent"),
    path("inbox/parked/", inbox.parked, name="efile_parked"),
    path("inbox/closed/", inbox.closed, name="efile_closed"),
    path("files/pending/", pending.pending, name="efile_pending"),
    path("files/pending/<int:post_id>/", pending.pending_files, name="efile_pending_files"),
    path("notifications/", inbox.notifications, name="efile_notifications"),
    path("notifications/read/", inbox.notifications_mark_read, name="efile_notifications_read"),
    path("files/<int:file_id>/send/", movement.file_send, name="efile_file_send"),
    path(
        "files/<int:file_id>/receive/",
        movement.file_button_step,
        {"step": "receive"},
        name="efile_file_receive",
    ),
    path(
        "files/<int:file_id>/return/", movement.file_form_step, {"step": "return"}, name="efile_file_return"
    ),
    path("files/<int:file_id>/park/", movement.file_form_step, {"step": "park"}, name="efile_file_park"),
    path(
        "files/<int:file_id>/unpark/", movement.file_button_step, {"step": "unpark"}, name="efile_file_unpark"
    ),
    path("files/<int:file_id>/close/", movement.file_form_step, {"step": "close"}, name="efile_file_close"),
    path(
        "files/<int:file_id>/reopen/", movement.file_form_step, {"step": "reopen"}, name="efile_file_reopen"
    ),
    path("files/<int:file_id>/track/", movement.file_track, name="efile_file_track"),
    path("files/<int:file_id>/history/", movement.file_history, name="efile_file_history"),
]
