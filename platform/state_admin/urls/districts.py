from django.urls import path

from state_admin.views import districts

urlpatterns = [
    path("districts/", districts.district_list_view, name="state_districts"),
    path("districts/new/", districts.district_new, name="state_district_new"),
    path("districts/<slug:slug>/", districts.district_detail, name="state_district"),
    path(
        "districts/<slug:slug>/provision/", districts.district_provision_now, name="state_district_provision"
    ),
    path(
        "districts/<slug:slug>/onboarding/", districts.district_onboarding, name="state_district_onboarding"
    ),
    path(
        "districts/<slug:slug>/provisioning/",
        districts.provisioning_status,
        name="state_provisioning_status",
    ),
    path("ranges/", districts.range_list, name="state_ranges"),
    path("ranges/new/", districts.range_create, name="state_range_create"),
]
