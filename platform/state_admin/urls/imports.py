from django.utils.translation import gettext_lazy

from core.org.officer_import import views as imports
from core.org.officer_import.urls import import_paths
from state_admin.services.officer_import import STATE
from state_admin.views.common import actor_of, staff_required

# The officer import's screens are shared with the districts' admins; this is the state's scope.
IMPORTS = imports.ImportConsole(
    scope=STATE,
    actor_of=actor_of,
    urls=imports.ImportUrls.of("state_import", list="state_imports", detail="state_import_detail"),
    password_note=gettext_lazy(
        "New accounts have no password: each officer sets one through the “Forgot password” link."
    ),
)

urlpatterns = import_paths(IMPORTS, prefix="imports/", check=staff_required)
