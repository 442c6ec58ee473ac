from django.urls import path

from core.offline import views

urlpatterns = [
    path("sw.js", views.service_worker, name="offline_service_worker"),
    path("offline/", views.offline_page, name="offline"),
]
