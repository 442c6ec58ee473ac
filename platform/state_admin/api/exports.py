"""A district's exports and the rollout plans through the state API (platform staff): the
console's lifecycle page's export (``district_export_request``: audited in the state log, built
by a background task) and download (``district_export_download_record``, the page's headers),
and the rollout plans with their phases and targets (read)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from core.api.base import ApiView, responses
from state_admin.models import ExportJob, RolloutPlan
from state_admin.services.audit import StaffActor
from state_admin.services.export_jobs import district_export_download_record, district_export_request
from state_admin.views.lifecycle import export_file_response
from tenants.models import District


class ExportSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    district_slug = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    message = serializers.CharField()
    download_url = serializers.CharField(allow_null=True)


class TargetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    district_slug = serializers.CharField()
    target_on = serializers.DateField()
    status = serializers.CharField()
    done_on = serializers.DateField(allow_null=True)


class PhaseSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    name_hi = serializers.CharField()
    office_kinds = serializers.ListField(child=serializers.CharField())
    targets = TargetSerializer(many=True)


class RolloutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_hi = serializers.CharField()
    phases = PhaseSerializer(many=True)


def _export_shape(job: ExportJob) -> dict:
    ready = job.status == ExportJob.Status.DONE
    return {
        "id": job.pk,
        "district_slug": job.district_slug,
        "status": job.status,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "size": job.size,
        "sha256": job.sha256,
        "message": job.message,
        "download_url": f"/api/v1/districts/{job.district_slug}/exports/{job.pk}/download/"
        if ready
        else None,
    }


class ExportsView(ApiView):
    @extend_schema(
        operation_id="district_exports",
        responses=responses({200: ExportSerializer(many=True)}),
        tags=["districts"],
    )
    def get(self, request, slug: str):
        """The district's exports, newest first."""
        district = get_object_or_404(District, slug=slug)
        jobs = ExportJob.objects.filter(district_slug=district.slug).order_by("-created_at")
        return Response([_export_shape(job) for job in jobs])

    @extend_schema(
        operation_id="district_export",
        request=None,
        responses=responses({202: ExportSerializer}),
        tags=["districts"],
    )
    def post(self, request, slug: str):
        """Export the district (its data and files, sealed): built in the background; poll the
        list until ``status`` is ready, then fetch ``download_url``."""
        district = get_object_or_404(District, slug=slug)
        job = district_export_request(actor=StaffActor.from_request(request), district=district)
        return Response(_export_shape(job), status=202)


class ExportDownloadView(ApiView):
    @extend_schema(
        operation_id="district_export_download",
        responses=responses(
            {(200, "application/gzip"): OpenApiResponse(OpenApiTypes.BINARY, description="The archive")}
        ),
        tags=["districts"],
    )
    def get(self, request, slug: str, job_id):
        """A ready export's archive (a download in the state log), as the console's page gives it."""
        job = get_object_or_404(ExportJob, pk=job_id, district_slug=slug)
        try:
            path = district_export_download_record(actor=StaffActor.from_request(request), job=job)
        except ValidationError:  # not ready, or its file gone: as the page, not found
            raise Http404 from None
        return export_file_response(job, path)


class RolloutsView(ApiView):
    @extend_schema(
        operation_id="rollouts",
        responses=responses({200: RolloutSerializer(many=True)}),
        tags=["rollouts"],
    )
    def get(self, request):
        """The rollout plans, each with its phases and the districts' target dates in them."""
        plans = RolloutPlan.objects.prefetch_related("phases__targets__district").order_by("id")
        return Response(
            [
                {
                    "id": plan.pk,
                    "name": plan.name,
                    "name_hi": plan.name_hi,
                    "phases": [
                        {
                            "number": phase.number,
                            "name": phase.name,
                            "name_hi": phase.name_hi,
                            "office_kinds": list(phase.office_kinds),
                            "targets": [
                                {
                                    "id": t.pk,
                                    "district_slug": t.district.slug,
                                    "target_on": t.target_on,
                                    "status": t.status,
                                    "done_on": t.done_on,
                                }
                                for t in sorted(phase.targets.all(), key=lambda t: (t.target_on, t.pk))
                            ],
                        }
                        for phase in sorted(plan.phases.all(), key=lambda p: p.number)
                    ],
                }
                for plan in plans
            ]
        )
