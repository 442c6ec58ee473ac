"""The RTI replies' pages, under ``/rti/<id>/``: the reply form, its letter and bundle, a retry."""

from django.urls import path

from core.rti.views import replies

urlpatterns = [
    path("<int:rti_id>/reply/", replies.reply_page, name="rti_reply"),
    path("<int:rti_id>/replies/<int:reply_id>/letter.pdf", replies.reply_pdf, name="rti_reply_pdf"),
    path("<int:rti_id>/replies/<int:reply_id>/bundle.zip", replies.reply_zip, name="rti_reply_zip"),
    path("<int:rti_id>/replies/<int:reply_id>/retry/", replies.reply_retry, name="rti_reply_retry"),
]
