"""The monthly RTI register report, under ``/rti/register/``: a month picker, the page, CSV and PDF."""

from django.urls import path

from core.rti.views import report

urlpatterns = [
    path("", report.month_pick, name="rti_register_month"),
    path("<int:year>/<int:month>/", report.register_report_page, name="rti_register_report"),
    path(
        "<int:year>/<int:month>/register.csv",
        report.register_report_csv_download,
        name="rti_register_report_csv",
    ),
    path(
        "<int:year>/<int:month>/register.pdf",
        report.register_report_pdf_download,
        name="rti_register_report_pdf",
    ),
]
