"""The pendency report, under ``/cases/pendency/``."""

from django.urls import path

from core.cases.views import pendency

urlpatterns = [
    path("", pendency.pendency_page, name="case_pendency"),
]
