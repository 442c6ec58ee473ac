from django.urls import path

from state_admin.views import audit

urlpatterns = [
    path("audit/", audit.audit_list, name="state_audit"),
    path("audit/export.csv", audit.audit_export, name="state_audit_export"),
]
