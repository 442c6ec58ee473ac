from django.core.paginator import Paginator
from django.shortcuts import render

from core.base.audit.witness import audit_verify_witnessed
from core.org.selectors.audit import audit_event_list
from district_admin.forms.audit import AuditFilterForm
from district_admin.views.common import admin_required
from tenants.models import User

PAGE_SIZE = 50


@admin_required
def audit_list(request):
    """The district's audit trail, newest first, filtered by action, person and dates."""
    form = AuditFilterForm(request.GET or None)
    args = {}
    if form.is_valid():
        data = form.cleaned_data
        args = {"action_prefix": data["action"].strip(), "since": data["since"], "until": data["until"]}
        if data["person"].strip():
            person = User.objects.filter(login_id=data["person"].strip().lower()).first()
            args["person_id"] = person.pk if person else -1
    page = Paginator(audit_event_list(**args), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "district_admin/audit/list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@admin_required
def audit_verify_view(request):
    """Check the whole hash chain now (it reads every event, so it runs only when asked), compared
    with the district's last anchor outside its schema (which the check renews)."""
    witnessed = audit_verify_witnessed()
    return render(
        request, "district_admin/audit/verify.html", {"chain": witnessed.chain, "witnessed": witnessed}
    )
