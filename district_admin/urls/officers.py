from django.urls import path

from district_admin.views import officers as views

urlpatterns = [
    path("officers/", views.officers, name="officers"),
    path("officers/export.csv", views.officers_export, name="officers_export"),
    path("officers/new/", views.officer_new, name="officer_new"),
    path("officers/<int:person_id>/", views.officer, name="officer"),
    path("officers/<int:person_id>/deactivate/", views.officer_deactivate_view, name="officer_deactivate"),
    path("officers/<int:person_id>/reactivate/", views.officer_reactivate_view, name="officer_reactivate"),
    path("officers/<int:person_id>/reset/", views.officer_access_reset_view, name="officer_access_reset"),
    path("officers/imports/", views.imports, name="officer_imports"),
    path("officers/imports/<uuid:job_id>/", views.import_detail, name="officer_import"),
    path("officers/imports/<uuid:job_id>/run/", views.import_run, name="officer_import_run"),
    path("officers/imports/<uuid:job_id>/progress/", views.import_progress, name="officer_import_progress"),
    path("officers/imports/<uuid:job_id>/errors.csv", views.import_errors, name="officer_import_errors"),
]
