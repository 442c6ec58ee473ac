from django.urls import path

from state_admin.views import districts

urlpatterns = [
    path("districts/", districts.district_list_view, name="state_districts"),
    path(
        "districts/<slug:slug>/provisioning/", districts.provisioning_status, name="state_provisioning_status"
    ),
]
