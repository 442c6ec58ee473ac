"""Old-case digitisation, under ``/cases/digitisation/``."""

from django.urls import path

from core.cases.views import digitisation

urlpatterns = [
    path("", digitisation.overview_page, name="case_digitisation"),
    path("target/", digitisation.target_set, name="case_digitisation_target"),
    path("batches/", digitisation.batches_page, name="case_digitisation_batches"),
    path("batches/<int:batch_id>/", digitisation.batch_page, name="case_digitisation_batch"),
    path("batches/<int:batch_id>/report.csv", digitisation.batch_report_csv, name="case_digitisation_report"),
    path("checks/", digitisation.queue_page, name="case_digitisation_queue"),
    path("checks/<int:case_id>/", digitisation.case_decide, name="case_digitisation_decide"),
]
