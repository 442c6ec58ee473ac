"""The state console's URLs, one module per area."""

from state_admin.urls import (
    audit,
    dashboard,
    districts,
    imports,
    lifecycle,
    people,
    rollouts,
    templates,
    transfers,
)

urlpatterns = [
    *dashboard.urlpatterns,
    *districts.urlpatterns,
    *lifecycle.urlpatterns,
    *templates.urlpatterns,
    *rollouts.urlpatterns,
    *imports.urlpatterns,
    *transfers.urlpatterns,
    *people.urlpatterns,
    *audit.urlpatterns,
]
