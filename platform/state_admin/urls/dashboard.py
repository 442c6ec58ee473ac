from django.urls import path

from state_admin.views import districts

urlpatterns = [
    path("", districts.district_list_view, name="home"),
]
