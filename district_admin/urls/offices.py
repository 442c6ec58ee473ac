from django.urls import path

from district_admin.views import offices

urlpatterns = [
    path("offices/", offices.offices, name="offices"),
]
