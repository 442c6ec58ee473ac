"""The officer import through the state API (platform staff), as the console's shared import
screens (``core.org.officer_import.views``) with the state's scope: upload a file for a dry run
(checked and kept, nothing changed), read its report (figures, row errors, first rows, progress),
run its valid rows (a background task), poll. The same form, services and audit events."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from core.api.base import ApiView, checked, paged, responses
from core.api.cursors import CURSOR, Keyset
from core.org.officer_import import parse, services
from core.org.officer_import.forms import ImportUploadForm
from state_admin.services.audit import StaffActor
from state_admin.services.officer_import import STATE

IMPORTS = Keyset("imports", ("-created_at", "-id"))
PAGE_SIZE = 50
ERRORS_SHOWN = 500


class ImportSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    created_at = serializers.DateTimeField()
    filename = serializers.CharField()
    sha256 = serializers.CharField()
    district_slug = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    total_rows = serializers.IntegerField()
    valid_rows = serializers.IntegerField()
    error_count = serializers.IntegerField()
    done_rows = serializers.IntegerField()


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    value = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    job = ImportSerializer()
    counts = serializers.DictField()
    errors = RowErrorSerializer(many=True)
    sample = serializers.ListField(child=serializers.DictField())
    progress = serializers.DictField()
    can_run = serializers.BooleanField()


class ImportUploadInput(serializers.Serializer):
    file = serializers.FileField()
    district = serializers.CharField(help_text="A live district's slug, or each-row (a district column).")


def _shape(job) -> dict:
    return {
        "id": job.pk,
        "created_at": job.created_at,
        "filename": job.filename,
        "sha256": job.sha256,
        "district_slug": job.district.slug if job.district_id else None,
        "status": job.status,
        "total_rows": job.total_rows,
        "valid_rows": job.valid_rows,
        "error_count": len(job.errors),
        "done_rows": job.done_rows,
    }


def _report(job) -> dict:
    return {
        "job": _shape(job),
        "counts": job.result.get("preview", {}),
        "errors": [
            {**error, "value": "" if error.get("value") is None else str(error["value"])}
            for error in job.errors[:ERRORS_SHOWN]
        ],
        "sample": job.result.get("sample", []),
        "progress": services.officer_import_progress(job=job),
        "can_run": services.import_job_runnable(job=job),
    }


class ImportsView(ApiView):
    parser_classes = [MultiPartParser]
    rate_limit_kind = "upload"

    @extend_schema(
        operation_id="imports",
        parameters=[CURSOR],
        responses=responses({200: paged(ImportSerializer)}),
        tags=["officer import"],
    )
    def get(self, request):
        """Past imports, newest first."""
        jobs, following = IMPORTS.page(
            [(STATE.jobs(), {})],
            request.query_params.get("cursor"),
            PAGE_SIZE,
            lambda j: (j.created_at, j.pk),
        )
        return Response({"results": [_shape(job) for job in jobs], "next": following})

    @extend_schema(
        operation_id="import_upload",
        request={"multipart/form-data": ImportUploadInput},
        responses=responses({201: ImportReportSerializer}),
        tags=["officer import"],
    )
    def post(self, request):
        """Upload a CSV or XLSX of officers for a dry run: checked, kept, reported; nothing changes
        until it is run."""
        form = ImportUploadForm(request.POST, request.FILES, across_districts=STATE.across_districts)
        data = checked(form)
        upload = data["file"]
        try:
            job = services.officer_import_preview(
                scope=STATE,
                actor=StaffActor.from_request(request),
                filename=upload.name,
                data=upload.read(),
                district=data["district"],
            )
        except parse.ImportFileError as error:
            raise ValidationError({"file": [str(error)]}) from error
        return Response(_report(job), status=201)


class ImportView(ApiView):
    @extend_schema(
        operation_id="import_read",
        responses=responses({200: ImportReportSerializer}),
        tags=["officer import"],
    )
    def get(self, request, job_id):
        """An import's report: the dry run's figures, row errors and first rows; its progress."""
        return Response(_report(get_object_or_404(STATE.jobs(), pk=job_id)))


class ImportRunView(ApiView):
    @extend_schema(
        operation_id="import_run",
        request=None,
        responses=responses({202: ImportReportSerializer}),
        tags=["officer import"],
    )
    def post(self, request, job_id):
        """Import the dry run's valid rows (a background task; poll the report's ``progress``)."""
        job = get_object_or_404(STATE.model.objects.defer("errors"), pk=job_id)
        services.officer_import_enqueue(scope=STATE, actor=StaffActor.from_request(request), job=job)
        return Response(_report(get_object_or_404(STATE.jobs(), pk=job_id)), status=202)
