"""Districts (list, one, suspend, resume) and the dashboard's figures, for platform staff: the
console's selectors and lifecycle services (which audit in the state's log), the console's forms."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api.base import ApiView, checked, responses
from core.api.inputs import form_data
from state_admin.forms.districts import OnboardForm
from state_admin.forms.lifecycle import StatusChangeForm, SuspendForm
from state_admin.selectors import KIND_DISTRICTS, KIND_SUPERVISING, district_list, district_suspend_impact
from state_admin.selectors_dashboard import dashboard_get
from state_admin.services import lifecycle
from state_admin.services.audit import StaffActor
from state_admin.services.onboarding import district_onboard_with_admin
from state_admin.services.provisioning import STEP_LABELS, DistrictSpec
from state_admin.tasks.provisioning import provisioning_progress_get
from tenants.models import District


class DistrictSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    name_hi = serializers.CharField()
    status = serializers.CharField()
    kind = serializers.ChoiceField(
        choices=District.Kind.choices,
        help_text="district: a police district; range, headquarters: a supervising office (a tenant, "
        "not counted among the police districts).",
    )
    range = serializers.CharField()
    domains = serializers.ListField(child=serializers.CharField())
    actions = serializers.ListField(child=serializers.CharField())


class StatusInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    confirm = serializers.BooleanField(required=False, help_text="Required to suspend.")


class CountSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class DashboardSerializer(serializers.Serializer):
    districts_total = serializers.IntegerField(help_text="Police districts only.")
    supervising_offices = serializers.IntegerField(
        help_text="Range and headquarters offices: counted apart, in none of the other figures."
    )
    by_status = CountSerializer(many=True)
    offices_live = serializers.IntegerField()
    offices_preparing = serializers.IntegerField()
    offices_planned = serializers.IntegerField()
    rollup_count = serializers.IntegerField()
    as_of = serializers.DateTimeField(allow_null=True)


def _shape(district: District) -> dict:
    return {
        "slug": district.slug,
        "name": district.name,
        "name_hi": district.name_hi,
        "status": district.status,
        "kind": district.kind,
        "range": district.range_name,
        "domains": [d.domain for d in district.domains.all()],
        "actions": lifecycle.district_actions_allowed(district),
    }


def _district(slug: str) -> District:
    district = district_list().filter(slug=slug).first()
    if district is None:
        raise Http404
    return district


class ProgressSerializer(serializers.Serializer):
    state = serializers.CharField()
    step = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    label = serializers.CharField(allow_blank=True)
    done = serializers.IntegerField(required=False)
    total = serializers.IntegerField(required=False)
    steps = serializers.ListField(child=serializers.CharField(), required=False)
    error = serializers.CharField(required=False, allow_null=True, allow_blank=True)


class ProvisionedSerializer(serializers.Serializer):
    slug = serializers.CharField()
    task = ProgressSerializer()
    progress_url = serializers.CharField()
    first_admin_password = serializers.CharField(
        allow_null=True, help_text="A new first admin's temporary password: shown this once, never stored."
    )


class DistrictCreateInput(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    name_hi = serializers.CharField()
    police_range = serializers.IntegerField(required=False, allow_null=True)
    new_range = serializers.CharField(required=False, allow_blank=True)
    template = serializers.IntegerField(required=False, allow_null=True)
    admin_login_id = serializers.CharField(required=False, allow_blank=True)
    admin_name = serializers.CharField(required=False, allow_blank=True)
    admin_name_hi = serializers.CharField(required=False, allow_blank=True)
    admin_new_login_id = serializers.CharField(required=False, allow_blank=True)
    admin_mobile = serializers.CharField(required=False, allow_blank=True)
    admin_email = serializers.CharField(required=False, allow_blank=True)


def _progress(slug: str) -> dict | None:
    progress = provisioning_progress_get(slug)
    if progress is None:
        return None
    return {**progress, "label": str(STEP_LABELS.get(progress.get("step"), ""))}


class DistrictsView(ApiView):
    @extend_schema(
        operation_id="districts",
        parameters=[
            OpenApiParameter(
                "kind",
                str,
                enum=[KIND_DISTRICTS, KIND_SUPERVISING],
                description="districts: police districts only; supervising: range and headquarters "
                "offices only; absent: every tenant, each with its kind.",
            )
        ],
        responses=responses({200: DistrictSerializer(many=True)}),
        tags=["districts"],
    )
    def get(self, request):
        """Every district (and range or headquarters office, by its ``kind``) with its status,
        range, host names and the lifecycle steps open to it."""
        kind = request.query_params.get("kind", "")
        if kind not in ("", KIND_DISTRICTS, KIND_SUPERVISING):
            raise ValidationError({"kind": [_("Unknown kind: give “districts” or “supervising”.")]})
        return Response([_shape(d) for d in district_list(kind=kind)])

    @extend_schema(
        operation_id="district_create",
        request=DistrictCreateInput,
        responses=responses({202: ProvisionedSerializer}),
        tags=["districts"],
    )
    def post(self, request):
        """Create a district and provision it (the console's new-district form): its first admin an
        existing account (``admin_login_id``) or a new one (``admin_name``, ``admin_new_login_id``
        …, whose temporary password is answered this once). Provisioning runs as a background
        task: poll ``progress_url``."""
        form = OnboardForm(form_data(request), root_domain=settings.ROOT_DOMAIN)
        data = checked(form)
        spec = DistrictSpec(
            slug=data["slug"],
            name=data["name"].strip(),
            name_hi=data["name_hi"].strip(),
            range_name=form.range_name(),
            admin_login_id=data["admin_login_id"].strip(),
        )
        password = district_onboard_with_admin(
            actor=StaffActor.from_request(request),
            spec=spec,
            new_admin=form.new_admin(),
            template=data["template"],
        )
        body = {
            "slug": spec.slug,
            "task": _progress(spec.slug) or {"state": "queued", "label": ""},
            "progress_url": reverse("api_district_provisioning", args=[spec.slug]),
            "first_admin_password": password or None,
        }
        return Response(body, status=202)


class ProvisioningView(ApiView):
    @extend_schema(
        operation_id="district_provisioning",
        responses=responses({200: ProgressSerializer}),
        tags=["districts"],
    )
    def get(self, request, slug: str):
        """Where the district's provisioning task stands (as the console's onboarding page polls)."""
        progress = _progress(slug)
        if progress is None:
            raise Http404
        return Response(progress)


class DistrictView(ApiView):
    @extend_schema(
        operation_id="district_read", responses=responses({200: DistrictSerializer}), tags=["districts"]
    )
    def get(self, request, slug: str):
        return Response(_shape(_district(slug)))


def _status_view(verb: str):
    class StatusView(ApiView):
        @extend_schema(
            operation_id=f"district_{verb}",
            request=StatusInput,
            responses=responses({200: DistrictSerializer}),
            tags=["districts"],
            description=f"{verb.title()} the district (as the console's lifecycle page), with a reason.",
        )
        def post(self, request, slug: str):
            district = _district(slug)
            data = (
                request.data
                if hasattr(request.data, "getlist")
                else {k: str(v) for k, v in dict(request.data).items() if v not in (None, False)}
            )
            if verb == "suspend":
                form = SuspendForm(data, impact=district_suspend_impact(district))
            else:
                form = StatusChangeForm(data)
            reason = checked(form)["reason"]
            service = lifecycle.district_suspend if verb == "suspend" else lifecycle.district_resume
            district = service(actor=StaffActor.from_request(request), district=district, reason=reason)
            return Response(_shape(_district(district.slug)))

    StatusView.__name__ = f"District{verb.title()}View"
    return StatusView


SuspendView = _status_view("suspend")
ResumeView = _status_view("resume")


class DashboardView(ApiView):
    @extend_schema(
        operation_id="dashboard", responses=responses({200: DashboardSerializer}), tags=["dashboard"]
    )
    def get(self, request):
        """The state dashboard's headline figures (from the rollup, never every schema)."""
        board = dashboard_get()
        live, preparing, planned = board.offices
        return Response(
            {
                "districts_total": board.districts_total,
                "supervising_offices": board.supervising_offices,
                "by_status": [{"key": k, "label": str(label), "count": n} for k, label, n in board.by_status],
                "offices_live": live,
                "offices_preparing": preparing,
                "offices_planned": planned,
                "rollup_count": board.rollup_count,
                "as_of": board.as_of,
            }
        )
