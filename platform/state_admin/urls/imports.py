from django.urls import path

from state_admin.views import imports

urlpatterns = [
    path("imports/", imports.import_list, name="state_imports"),
    path("imports/<uuid:job_id>/", imports.import_detail, name="state_import_detail"),
    path("imports/<uuid:job_id>/run/", imports.import_run, name="state_import_run"),
    path("imports/<uuid:job_id>/progress/", imports.import_progress, name="state_import_progress"),
    path("imports/<uuid:job_id>/errors.csv", imports.import_errors_csv, name="state_import_errors"),
]
