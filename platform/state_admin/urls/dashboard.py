from django.urls import path

from state_admin.views import dashboard

urlpatterns = [
    path("", dashboard.dashboard_view, name="home"),
    path("dashboard/refresh/", dashboard.dashboard_refresh_view, name="state_dashboard_refresh"),
]
