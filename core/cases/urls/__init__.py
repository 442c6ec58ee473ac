"""The case register's pages, under ``/cases/``, one URL module per sub-feature."""

from django.urls import include, path

urlpatterns = [
    path("pendency/", include("core.cases.urls.pendency")),
    path("digitisation/", include("core.cases.urls.digitisation")),
    path("", include("core.cases.urls.register")),
]
