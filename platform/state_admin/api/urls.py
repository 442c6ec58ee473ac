"""``/api/v1/`` on the root domain (included by ``config.api.urls_public``)."""

from django.urls import path

from state_admin.api import districts, exports, imports

urlpatterns = [
    path("districts/", districts.DistrictsView.as_view(), name="api_districts"),
    path("districts/<slug:slug>/", districts.DistrictView.as_view(), name="api_district"),
    path(
        "districts/<slug:slug>/provisioning/",
        districts.ProvisioningView.as_view(),
        name="api_district_provisioning",
    ),
    path("districts/<slug:slug>/suspend/", districts.SuspendView.as_view(), name="api_district_suspend"),
    path("districts/<slug:slug>/resume/", districts.ResumeView.as_view(), name="api_district_resume"),
    path("districts/<slug:slug>/exports/", exports.ExportsView.as_view(), name="api_district_exports"),
    path(
        "districts/<slug:slug>/exports/<uuid:job_id>/download/",
        exports.ExportDownloadView.as_view(),
        name="api_district_export_download",
    ),
    path("imports/", imports.ImportsView.as_view(), name="api_imports"),
    path("imports/<uuid:job_id>/", imports.ImportView.as_view(), name="api_import"),
    path("imports/<uuid:job_id>/run/", imports.ImportRunView.as_view(), name="api_import_run"),
    path("rollouts/", exports.RolloutsView.as_view(), name="api_rollouts"),
    path("dashboard/", districts.DashboardView.as_view(), name="api_dashboard"),
]
