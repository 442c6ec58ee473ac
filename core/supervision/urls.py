from django.urls import path

from core.supervision import views

urlpatterns = [
    path("", views.supervision_board_view, name="supervision_board"),
    path("<slug:slug>/", views.supervision_district_view, name="supervision_district"),
]
