"""The case register's pages, under ``/cases/``."""

from django.urls import path

from core.cases import views

urlpatterns = [
    path("", views.case_list_page, name="case_list"),
    path("new/", views.case_register_page, name="case_register"),
    path("<int:case_id>/", views.case_page, name="case"),
    path("<int:case_id>/edit/", views.case_edit, name="case_edit"),
    path("<int:case_id>/custody/", views.custody_move, name="case_custody_move"),
]
