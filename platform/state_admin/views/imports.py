"""Officer imports: upload and dry run, the import's progress, and the error report."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from state_admin.models import ImportJob
from state_admin.services import officer_import_parse
from state_admin.services.officer_import import (
    import_job_stalled,
    officer_import_enqueue,
    officer_import_preview,
)
from state_admin.services.officer_import_check import districts_for_choice
from state_admin.services.officer_import_parse import ImportFileError
from state_admin.services.officer_import_reports import import_job_errors_csv, import_job_progress
from state_admin.views.common import actor_of, staff_required

EACH_ROW = "__each_row__"


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (CSV or XLSX)"))
    district = forms.ChoiceField(label=gettext_lazy("Into"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.districts = {d.slug: d for d in districts_for_choice()}
        self.fields["district"].choices = [
            ("", "—"),
            *((d.slug, f"{d.name} · {d.name_hi}" if d.name_hi else d.name) for d in self.districts.values()),
            (EACH_ROW, _("Each row names its district (a “district” column)")),
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = officer_import_parse.MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The file is larger than %(mb)s MB; split it into smaller files.") % {"mb": limit // 2**20}
            )
        return upload

    def clean_district(self):
        slug = self.cleaned_data["district"]
        return None if slug == EACH_ROW else self.districts[slug]


@staff_required
@require_http_methods(["GET", "POST"])
def import_list(request):
    """Past imports, and the form that uploads a file for a dry run."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = officer_import_preview(
                actor=actor_of(request),
                filename=upload.name,
                data=upload.read(),
                district=form.cleaned_data["district"],
            )
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("state_import_detail", job_id=job.pk)
    jobs = Paginator(ImportJob.objects.select_related("created_by", "district").defer("errors"), 50)
    page = jobs.get_page(request.GET.get("page"))
    for job in page:
        job.stalled = import_job_stalled(job=job)
    return render(
        request,
        "state_admin/imports/list.html",
        {
            "form": form,
            "jobs": page,
            "max_mb": officer_import_parse.MAX_BYTES // 2**20,
        },
    )


@staff_required
@require_GET
def import_detail(request, job_id):
    """The dry run's figures, errors and first rows; then the import's progress and outcome."""
    job = get_object_or_404(ImportJob.objects.select_related("created_by", "district"), pk=job_id)
    errors = Paginator(job.errors, 50).get_page(request.GET.get("page"))
    progress = import_job_progress(job=job)
    return render(
        request,
        "state_admin/imports/detail.html",
        {
            "job": job,
            "errors": errors,
            "counts": job.result.get("preview", {}),
            "sample": job.result.get("sample", []),
            "imported": job.result.get("imported", {}),
            "progress": progress,
            "can_run": job.valid_rows > 0
            and (job.status in (ImportJob.Status.PREVIEWED, ImportJob.Status.FAILED) or progress["stalled"]),
        },
    )


@staff_required
@require_POST
def import_run(request, job_id):
    job = get_object_or_404(ImportJob.objects.defer("errors"), pk=job_id)
    try:
        officer_import_enqueue(actor=actor_of(request), job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("state_import_detail", job_id=job.pk)


@staff_required
@require_GET
def import_progress(request, job_id):
    """The import's progress, for the page to poll (JSON)."""
    job = get_object_or_404(ImportJob.objects.defer("errors"), pk=job_id)
    return JsonResponse(import_job_progress(job=job))


@staff_required
@require_GET
def import_errors_csv(request, job_id):
    job = get_object_or_404(ImportJob, pk=job_id)
    response = HttpResponse(import_job_errors_csv(job=job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-errors-{job.pk}.csv"'
    return response
