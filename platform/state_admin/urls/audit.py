from django.urls import path

from state_admin.views.common import not_built_yet

urlpatterns = [
    path("audit/", not_built_yet, name="state_audit"),
]
