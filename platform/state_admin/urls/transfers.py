from django.urls import path

from state_admin.views import transfers

urlpatterns = [
    path("transfers/", transfers.transfer_list, name="state_transfers"),
    path("transfers/<int:proposal_id>/confirm/", transfers.transfer_confirm, name="state_transfer_confirm"),
    path("transfers/<int:proposal_id>/decline/", transfers.transfer_decline, name="state_transfer_decline"),
]
