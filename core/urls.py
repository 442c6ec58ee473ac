from django.urls import include, path

from core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("core.efile.urls")),
    path("documents/", include("core.ocr.urls")),  # OCR of the e-File's documents
    path("cases/", include("core.cases.urls")),
    path("rti/", include("core.rti.urls")),
    path("search/", include("core.search.urls")),
    path("people/", include("core.people.urls")),
    path("outages/", include("core.outage.urls")),
    path("uploads/", include("core.uploads.urls")),
    path("letters/", include("core.letters.urls")),
    path("supervision/", include("core.supervision.urls")),
]
