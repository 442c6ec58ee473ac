"""The district admin's part of ``/api/v1/`` on a district's host (``district_admin.api``; 404 to
anyone but this district's admin), included beside ``core.api.urls`` by ``config.api.urls_district``."""

from django.urls import path

from district_admin import api as admin

urlpatterns = [
    path("admin/offices/", admin.OfficesView.as_view(), name="api_admin_offices"),
    path("admin/offices/<int:office_id>/", admin.OfficeView.as_view(), name="api_admin_office"),
    path(
        "admin/offices/<int:office_id>/posts/", admin.PostCreateView.as_view(), name="api_admin_post_create"
    ),
    path("admin/posts/<int:post_id>/postings/", admin.PostingsView.as_view(), name="api_admin_postings"),
    path(
        "admin/postings/<int:posting_id>/end/", admin.PostingEndView.as_view(), name="api_admin_posting_end"
    ),
    path("admin/officers/", admin.OfficersView.as_view(), name="api_admin_officers"),
    path("admin/readiness/", admin.ReadinessView.as_view(), name="api_admin_readiness"),
]
