"""A district's lifecycle page: status and its changes, and the district's exports."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from state_admin.forms.lifecycle import StatusChangeForm, SuspendForm
from state_admin.models import ExportJob
from state_admin.selectors import district_suspend_impact
from state_admin.services import lifecycle
from state_admin.services.export_jobs import district_export_download_record, district_export_request
from state_admin.views.common import actor_of, staff_required
from tenants.models import District

_SERVICES = {
    "suspend": lifecycle.district_suspend,
    "resume": lifecycle.district_resume,
    "archive": lifecycle.district_archive,
}
_DONE = {
    "suspend": gettext_lazy("%(name)s is suspended; everyone there was signed out."),
    "resume": gettext_lazy("%(name)s is live again."),
    "archive": gettext_lazy("%(name)s is archived: read-only from now on."),
}


def _status_form(verb: str, district: District, data=None) -> StatusChangeForm:
    auto_id = f"id_{verb}_%s"
    if verb == "suspend":
        return SuspendForm(data, impact=district_suspend_impact(district), auto_id=auto_id)
    return StatusChangeForm(data, auto_id=auto_id)


def _page(request, district: District, *, forms: dict | None = None, error: str = "", status: int = 200):
    verbs = lifecycle.district_actions_allowed(district)
    forms = forms or {}
    exports = ExportJob.objects.filter(district_slug=district.slug).select_related("created_by")
    return render(
        request,
        "state_admin/lifecycle/page.html",
        {
            "d": district,
            "actions": [
                (
                    verb,
                    lifecycle.VERB_LABELS[verb],
                    forms.get(verb) or _status_form(verb, district),
                )
                for verb in verbs
            ],
            "exportable": district.has_schema,
            "exports": exports,
            "building": any(
                job.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING) for job in exports
            ),
            "error": error,
        },
        status=status,
    )


@staff_required
@require_GET
def district_lifecycle(request, slug: str):
    return _page(request, get_object_or_404(District, slug=slug))


@staff_required
@require_POST
def district_status_change(request, slug: str, verb: str):
    district = get_object_or_404(District, slug=slug)
    service = _SERVICES.get(verb)
    if service is None:
        raise Http404
    form = _status_form(verb, district, request.POST)
    if form.is_valid():
        try:
            service(actor=actor_of(request), district=district, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_error(None, exc)
            else:
                return _page(request, district, error=" ".join(exc.messages), status=400)
        else:
            messages.success(request, _DONE[verb] % {"name": district.name})
            return redirect("state_district_lifecycle", slug=slug)
    return _page(request, district, forms={verb: form}, status=400)


@staff_required
@require_POST
def district_export_create(request, slug: str):
    district = get_object_or_404(District, slug=slug)
    try:
        district_export_request(actor=actor_of(request), district=district)
    except ValidationError as exc:
        return _page(request, district, error=" ".join(exc.messages), status=400)
    messages.success(request, _("The export is being built; this page shows it when it is ready."))
    return redirect("state_district_lifecycle", slug=slug)


@staff_required
@require_GET
def district_export_download(request, slug: str, job_id):
    job = get_object_or_404(ExportJob, pk=job_id, district_slug=slug)
    try:
        path = district_export_download_record(actor=actor_of(request), job=job)
    except ValidationError:
        raise Http404 from None
    return export_file_response(job, path)


def export_file_response(job: ExportJob, path) -> FileResponse:
    """The archive as an attachment named for its district and time, with its SHA-256 in a header
    (the page and the state API give the same download)."""
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 (FileResponse closes it)
        as_attachment=True,
        filename=f"karyalay-{job.district_slug}-{job.created_at:%Y%m%d-%H%M%S}.tar.gz",
        content_type="application/gzip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Checksum-SHA256"] = job.sha256
    return response
