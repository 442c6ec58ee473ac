"""The staff directory's pages, under ``/people/``."""

from django.urls import path

from core.people import views

urlpatterns = [path("<int:person_id>/", views.person_page, name="person")]
