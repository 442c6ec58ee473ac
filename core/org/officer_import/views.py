"""The screens of an officer import, the same for a district's admin and the state console: past
imports and the upload (dry run), a job's figures and errors, starting it, its progress (JSON) and
its error report (CSV).

A console wires these views in its own URLconf, wrapped in its own access check, passing its
``ImportConsole`` as the ``console`` keyword (``path(..., {"console": ...})``): the scope the
pipeline runs in, how a request names its actor, the console's URL names and base template. The
console's check decides who may see a job; the scope decides which jobs there are (a district sees
only the jobs in its own schema).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.org.officer_import import parse, services
from core.org.officer_import.forms import ImportUploadForm
from core.org.officer_import.scope import ImportScope


@dataclass(frozen=True)
class ImportUrls:
    """The console's URL names of the five views."""

    list: str
    detail: str
    run: str
    progress: str
    errors: str

    @classmethod
    def of(cls, stem: str, *, list: str, detail: str, namespace: str = "") -> ImportUrls:
        """Names for a console: its own for the list and a job's page, ``<stem>_run``,
        ``<stem>_progress`` and ``<stem>_errors`` for the others."""
        ns = f"{namespace}:" if namespace else ""
        return cls(
            list=ns + list,
            detail=ns + detail,
            run=f"{ns}{stem}_run",
            progress=f"{ns}{stem}_progress",
            errors=f"{ns}{stem}_errors",
        )


@dataclass(frozen=True)
class ImportConsole:
    scope: ImportScope
    actor_of: Callable  # request -> the actor the scope's audit takes
    urls: ImportUrls
    password_note: str  # what the done page says about new accounts' passwords
    back: tuple[str, str] | None = None  # (URL name, label) of the list page's way back
    base_template: str = "base.html"


@require_http_methods(["GET", "POST"])
def import_list(request, *, console: ImportConsole):
    """Past imports, and the form that uploads a file for a dry run."""
    scope = console.scope
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, across_districts=scope.across_districts
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        district = form.cleaned_data["district"] if scope.across_districts else scope.district()
        try:
            job = services.officer_import_preview(
                scope=scope,
                actor=console.actor_of(request),
                filename=upload.name,
                data=upload.read(),
                district=district,
            )
        except parse.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect(console.urls.detail, job_id=job.pk)
    page = Paginator(scope.jobs().defer("errors"), 50).get_page(request.GET.get("page"))
    for job in page:
        job.stalled = services.import_job_stalled(job=job)
    return render(
        request,
        "imports/list.html",
        {"console": console, "form": form, "jobs": page, "max_mb": parse.MAX_BYTES // 2**20},
    )


@require_GET
def import_detail(request, job_id, *, console: ImportConsole):
    """The dry run's figures, errors and first rows; then the import's progress and outcome."""
    job = get_object_or_404(console.scope.jobs(), pk=job_id)
    return render(
        request,
        "imports/detail.html",
        {
            "console": console,
            "job": job,
            "errors": Paginator(job.errors, 50).get_page(request.GET.get("page")),
            "counts": job.result.get("preview", {}),
            "sample": job.result.get("sample", []),
            "imported": job.result.get("imported", {}),
            "progress": services.officer_import_progress(job=job),
            "can_run": services.import_job_runnable(job=job),
        },
    )


@require_POST
def import_run(request, job_id, *, console: ImportConsole):
    job = get_object_or_404(console.scope.model.objects.defer("errors"), pk=job_id)
    try:
        services.officer_import_enqueue(scope=console.scope, actor=console.actor_of(request), job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(console.urls.detail, job_id=job.pk)


@require_GET
def import_progress(request, job_id, *, console: ImportConsole):
    """The import's progress, for the page to poll (JSON)."""
    job = get_object_or_404(console.scope.model.objects.defer("errors"), pk=job_id)
    return JsonResponse(services.officer_import_progress(job=job))


@require_GET
def import_errors(request, job_id, *, console: ImportConsole):
    job = get_object_or_404(console.scope.model, pk=job_id)
    response = HttpResponse(
        services.officer_import_errors_csv(job=job), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="import-errors-{job.pk}.csv"'
    return response
