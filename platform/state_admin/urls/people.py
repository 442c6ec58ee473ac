from django.urls import path

from state_admin.views import people

urlpatterns = [
    path("people/", people.person_search, name="state_people"),
    path("people/<int:person_id>/reset/", people.person_reset, name="state_person_reset"),
]
