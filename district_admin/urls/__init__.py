"""The district admin's URLs (under /admin/ on the district's host), one module per area."""

from district_admin.urls import audit, dashboard, officers, offices, readiness, training, transfers

app_name = "district_admin"
urlpatterns = [
    *dashboard.urlpatterns,
    *offices.urlpatterns,
    *officers.urlpatterns,
    *transfers.urlpatterns,
    *readiness.urlpatterns,
    *training.urlpatterns,
    *audit.urlpatterns,
]
