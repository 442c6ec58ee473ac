"""The case register's pages, under ``/cases/``."""

from django.urls import path

from core.cases import digitisation_views, pendency_views, views

urlpatterns = [
    path("", views.case_list_page, name="case_list"),
    path("new/", views.case_register_page, name="case_register"),
    path("directions/", views.directions_page, name="case_directions"),
    path("pendency/", pendency_views.pendency_page, name="case_pendency"),
    path("digitisation/", digitisation_views.overview_page, name="case_digitisation"),
    path("digitisation/target/", digitisation_views.target_set, name="case_digitisation_target"),
    path("digitisation/batches/", digitisation_views.batches_page, name="case_digitisation_batches"),
    path(
        "digitisation/batches/<int:batch_id>/", digitisation_views.batch_page, name="case_digitisation_batch"
    ),
    path(
        "digitisation/batches/<int:batch_id>/report.csv",
        digitisation_views.batch_report_csv,
        name="case_digitisation_report",
    ),
    path("digitisation/checks/", digitisation_views.queue_page, name="case_digitisation_queue"),
    path(
        "digitisation/checks/<int:case_id>/", digitisation_views.case_decide, name="case_digitisation_decide"
    ),
    path("<int:case_id>/", views.case_page, name="case"),
    path("<int:case_id>/edit/", views.case_edit, name="case_edit"),
    path("<int:case_id>/custody/", views.custody_move, name="case_custody_move"),
    path("<int:case_id>/progress/", views.progress_add, name="case_progress_add"),
    path("<int:case_id>/reviews/", views.review_add, name="case_review_add"),
    path(
        "<int:case_id>/reviews/<int:review_id>/comply/", views.direction_comply, name="case_direction_comply"
    ),
]
