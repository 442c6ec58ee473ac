from django.urls import path
from django.utils.translation import gettext_lazy

from core.org.officer_import import views as imports
from state_admin.services.officer_import import STATE
from state_admin.views.common import actor_of, staff_required

# The officer import's screens are shared with the districts' admins; this is the state's scope.
IMPORTS = {
    "console": imports.ImportConsole(
        scope=STATE,
        actor_of=actor_of,
        urls=imports.ImportUrls(
            list="state_imports",
            detail="state_import_detail",
            run="state_import_run",
            progress="state_import_progress",
            errors="state_import_errors",
        ),
        password_note=gettext_lazy(
            "New accounts have no password: each officer sets one through the “Forgot password” link."
        ),
    )
}

urlpatterns = [
    path("imports/", staff_required(imports.import_list), IMPORTS, name="state_imports"),
    path(
        "imports/<uuid:job_id>/", staff_required(imports.import_detail), IMPORTS, name="state_import_detail"
    ),
    path("imports/<uuid:job_id>/run/", staff_required(imports.import_run), IMPORTS, name="state_import_run"),
    path(
        "imports/<uuid:job_id>/progress/",
        staff_required(imports.import_progress),
        IMPORTS,
        name="state_import_progress",
    ),
    path(
        "imports/<uuid:job_id>/errors.csv",
        staff_required(imports.import_errors),
        IMPORTS,
        name="state_import_errors",
    ),
]
