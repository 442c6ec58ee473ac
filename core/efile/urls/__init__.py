"""The e-File's pages on a district's host, one URL module per area."""

from django.urls import include, path

urlpatterns = [
    path("", include("core.efile.urls.inbox")),
    path("dak/", include("core.efile.urls.dak")),
    path("files/", include("core.efile.urls.files")),
    path("documents/", include("core.efile.urls.documents")),
]
