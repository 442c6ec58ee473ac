from django.urls import path

from district_admin.views import dashboard

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("offices/<int:office_id>/report/", dashboard.report, name="office_report"),
]
