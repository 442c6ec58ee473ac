"""Outage pages, under ``/outages/``."""

from django.urls import path

from core.outage import views

urlpatterns = [
    path("", views.outage_list_page, name="outage_list"),
    path("declare/", views.declare_page, name="outage_declare"),
    path("<int:outage_id>/", views.outage_page, name="outage"),
    path("<int:outage_id>/end/", views.end, name="outage_end"),
    path("<int:outage_id>/register/<str:kind>.pdf", views.register, name="outage_register"),
    path("<int:outage_id>/back-entry/dak/", views.back_dak, name="outage_back_dak"),
    path("<int:outage_id>/back-entry/note/", views.back_note, name="outage_back_note"),
    path("<int:outage_id>/back-entry/movement/", views.back_move, name="outage_back_move"),
]
