from django.urls import path

from district_admin.views import transfers as views

urlpatterns = [
    path("transfers/", views.transfers, name="transfers"),
    path("transfers/<int:proposal_id>/confirm/", views.transfer_confirm_view, name="transfer_confirm"),
    path("transfers/<int:proposal_id>/decline/", views.transfer_decline_view, name="transfer_decline"),
]
