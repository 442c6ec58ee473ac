from django.urls import path

from district_admin.views import audit

urlpatterns = [
    path("audit/", audit.audit_list, name="audit"),
    path("audit/verify/", audit.audit_verify_view, name="audit_verify"),
]
