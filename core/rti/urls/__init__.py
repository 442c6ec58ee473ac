"""The RTI register's pages, under ``/rti/``, one URL module per sub-feature."""

from django.urls import include, path

urlpatterns = [
    path("", include("core.rti.urls.replies")),
    path("register/", include("core.rti.urls.report")),
    path("", include("core.rti.urls.applications")),
]
