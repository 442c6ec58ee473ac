import csv
import json

from django.core.paginator import Paginator
from django.db import transaction
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.csv_cells import cell_safe
from state_admin.forms.audit import AuditFilterForm
from state_admin.selectors import audit_event_list
from state_admin.services.audit import audit_record
from state_admin.views.common import actor_of, staff_required

PAGE_SIZE = 50


@staff_required
def audit_list(request):
    form = AuditFilterForm(request.GET or None)
    events = audit_event_list(**form.selector_args()).select_related("actor")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "state_admin/audit/list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


class _Echo:
    def write(self, value):
        return value


@staff_required
def audit_export(request):
    """The filtered audit log as CSV (UTF-8 with a BOM, so spreadsheet programs show Hindi)."""
    form = AuditFilterForm(request.GET or None)
    args = form.selector_args()
    with transaction.atomic():
        audit_record(
            actor=actor_of(request), action="audit.export", details={k: str(v) for k, v in args.items() if v}
        )
    events = audit_event_list(**args).iterator(chunk_size=2000)
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"
        yield writer.writerow(
            [
                _("When (UTC)"),
                _("Login ID"),
                _("Action"),
                _("District"),
                _("What"),
                _("Address"),
                _("Browser"),
                _("Details"),
            ]
        )
        for e in events:
            yield writer.writerow(
                [
                    e.at.isoformat(),
                    e.actor_login,
                    e.action,
                    e.district_slug,
                    cell_safe(e.target),
                    e.ip or "",
                    cell_safe(e.user_agent),
                    cell_safe(json.dumps(e.details, ensure_ascii=False)),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="karyalay-audit-{stamp}.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
