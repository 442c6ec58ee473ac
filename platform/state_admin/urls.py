from django.urls import path

from state_admin import views

urlpatterns = [
    path("", views.home, name="home"),
    path("districts/<slug:slug>/provisioning/", views.provisioning_status, name="state_provisioning_status"),
]
