"""The register itself, under ``/rti/``: the list, entering an application, its page and changes."""

from django.urls import path

from core.rti.views import applications as views

urlpatterns = [
    path("", views.rti_list_page, name="rti_list"),
    path("new/", views.rti_new_page, name="rti_new"),
    path("<int:rti_id>/", views.rti_page, name="rti"),
    path("<int:rti_id>/edit/", views.rti_edit, name="rti_edit"),
    path("<int:rti_id>/fee/ask/", views.fee_ask, name="rti_fee_ask"),
    path("<int:rti_id>/fee/paid/", views.fee_paid, name="rti_fee_paid"),
    path("<int:rti_id>/transfer/", views.transfer, name="rti_transfer"),
    path("<int:rti_id>/third-party/", views.third_party, name="rti_third_party"),
    path("<int:rti_id>/appeal/", views.appeal_receive, name="rti_appeal_receive"),
    path("<int:rti_id>/appeal/decision/", views.appeal_decide, name="rti_appeal_decide"),
]
