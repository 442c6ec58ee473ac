"""The RTI replies' pages and the monthly register report; included by core.rti.urls."""

from django.urls import path

from core.rti import reply_views, report_views

urlpatterns = [
    path("<int:rti_id>/reply/", reply_views.reply_page, name="rti_reply"),
    path("<int:rti_id>/replies/<int:reply_id>/letter.pdf", reply_views.reply_pdf, name="rti_reply_pdf"),
    path("<int:rti_id>/replies/<int:reply_id>/bundle.zip", reply_views.reply_zip, name="rti_reply_zip"),
    path("<int:rti_id>/replies/<int:reply_id>/retry/", reply_views.reply_retry, name="rti_reply_retry"),
    path("register/", report_views.month_pick, name="rti_register_month"),
    path("register/<int:year>/<int:month>/", report_views.register_report_page, name="rti_register_report"),
    path(
        "register/<int:year>/<int:month>/register.csv",
        report_views.register_report_csv_download,
        name="rti_register_report_csv",
    ),
    path(
        "register/<int:year>/<int:month>/register.pdf",
        report_views.register_report_pdf_download,
        name="rti_register_report_pdf",
    ),
]
