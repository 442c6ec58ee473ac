from django.urls import path

from district_admin import views

app_name = "district_admin"
urlpatterns = [
    path("", views.offices, name="offices"),
]
