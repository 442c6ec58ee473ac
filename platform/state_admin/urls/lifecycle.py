from django.urls import path

from state_admin.views import lifecycle, sign_in_policy

urlpatterns = [
    path("districts/<slug:slug>/lifecycle/", lifecycle.district_lifecycle, name="state_district_lifecycle"),
    path(
        "districts/<slug:slug>/lifecycle/<str:verb>/",
        lifecycle.district_status_change,
        name="state_district_status_change",
    ),
    path(
        "districts/<slug:slug>/sign-in/",
        sign_in_policy.district_sign_in_policy,
        name="state_district_sign_in_policy",
    ),
    path("districts/<slug:slug>/exports/", lifecycle.district_export_create, name="state_district_export"),
    path(
        "districts/<slug:slug>/exports/<uuid:job_id>/download",
        lifecycle.district_export_download,
        name="state_district_export_download",
    ),
]
