"""The register itself, under ``/cases/``: the list, registering, directions, a case and its changes."""

from django.urls import path

from core.cases.views import register as views

urlpatterns = [
    path("", views.case_list_page, name="case_list"),
    path("new/", views.case_register_page, name="case_register"),
    path("directions/", views.directions_page, name="case_directions"),
    path("<int:case_id>/", views.case_page, name="case"),
    path("<int:case_id>/edit/", views.case_edit, name="case_edit"),
    path("<int:case_id>/custody/", views.custody_move, name="case_custody_move"),
    path("<int:case_id>/progress/", views.progress_add, name="case_progress_add"),
    path("<int:case_id>/reviews/", views.review_add, name="case_review_add"),
    path(
        "<int:case_id>/reviews/<int:review_id>/comply/", views.direction_comply, name="case_direction_comply"
    ),
]
