"""The RTI register's pages, under ``/rti/``."""

from django.urls import include, path

urlpatterns = [
    path("", include("core.rti.reply_urls")),
]
