from django.urls import path
from django.utils.translation import gettext_lazy

from core.org.officer_import import views as imports
from core.org.officer_import.district import DISTRICT
from core.org.officer_import.urls import import_paths
from district_admin.views import officers as views
from district_admin.views.common import actor_of, admin_required

# The officer import's screens are shared with the state console; this is the district's scope.
IMPORTS = imports.ImportConsole(
    scope=DISTRICT,
    actor_of=actor_of,
    urls=imports.ImportUrls.of(
        "officer_import", list="officer_imports", detail="officer_import", namespace="district_admin"
    ),
    password_note=gettext_lazy(
        "New accounts have no password: each officer with an e-mail address has been sent a link to set one."
    ),
    back=("district_admin:officers", gettext_lazy("Officers")),
)

urlpatterns = [
    path("officers/", views.officers, name="officers"),
    path("officers/export.csv", views.officers_export, name="officers_export"),
    path("officers/new/", views.officer_new, name="officer_new"),
    path("officers/<int:person_id>/", views.officer, name="officer"),
    path("officers/<int:person_id>/deactivate/", views.officer_deactivate_view, name="officer_deactivate"),
    path("officers/<int:person_id>/reactivate/", views.officer_reactivate_view, name="officer_reactivate"),
    path("officers/<int:person_id>/reset/", views.officer_access_reset_view, name="officer_access_reset"),
    *import_paths(IMPORTS, prefix="officers/imports/", check=admin_required),
]
