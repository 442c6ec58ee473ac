from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from state_admin.forms.districts import DistrictFilterForm, OnboardForm, ProvisionForm, RangeForm
from state_admin.models import AuditEvent
from state_admin.selectors import district_get, district_inside, district_list, police_range_list
from state_admin.selectors_audit_anchor import audit_anchor_latest, audit_anchor_list
from state_admin.selectors_dashboard import adoption_weeks_for
from state_admin.services.onboarding import district_onboard_with_admin, district_provision_planned
from state_admin.services.placement import district_placement
from state_admin.services.provisioning import STEP_LABELS, DistrictSpec
from state_admin.services.ranges import police_range_create
from state_admin.tasks.provisioning import provisioning_progress_get
from state_admin.views.common import actor_of, staff_required
from tenants.models import District


def _form_errors_from(form, exc: ValidationError) -> None:
    fields = {"admin": "admin_login_id"}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        field = fields.get(name, name)
        form.add_error(field if field in form.fields else None, errors)


@staff_required
def district_list_view(request):
    filters = DistrictFilterForm(request.GET or None)
    police_range = status = kind = None
    if filters.is_valid():
        police_range = filters.cleaned_data["police_range"]
        status = filters.cleaned_data["status"]
        kind = filters.cleaned_data["kind"]
    districts = list(district_list(police_range=police_range, status=status or "", kind=kind or ""))
    anchors = audit_anchor_latest(districts)
    for district in districts:
        district.audit_anchor = anchors.get(district.pk)
    return render(
        request,
        "state_admin/districts/list.html",
        {"districts": districts, "filters": filters},
    )


def _detail(request, district: District, *, form: ProvisionForm | None = None, status: int = 200):

    if form is None and district.status == District.Status.PLANNED:
        form = ProvisionForm()
    return render(
        request,
        "state_admin/districts/detail.html",
        {
            "d": district,
            "inside": district_inside(district),
            "rollup": getattr(district, "rollup", None),
            "targets": district.phase_targets.select_related("phase__plan").order_by("target_on"),
            "adoption_weeks": adoption_weeks_for(district),
            "events": AuditEvent.objects.filter(district_slug=district.slug)[:10],
            "anchors": audit_anchor_list(district),
            "progress": provisioning_progress_get(district.slug),
            "provision_form": form,
            # The Citus worker that holds the district (issue 21); None on a single server.
            "placement": district_placement(district),
        },
        status=status,
    )


def _district_or_404(slug: str) -> District:
    try:
        return district_get(slug=slug)
    except District.DoesNotExist:
        raise Http404 from None


@staff_required
def district_detail(request, slug: str):
    return _detail(request, _district_or_404(slug))


def _first_admin_key(slug: str) -> str:
    return f"state:first_admin:{slug}"


def _first_admin_keep(request, slug: str, form, password: str) -> None:
    """A new first admin's temporary password, kept server-side in the session to be shown once
    on the next page, then dropped."""
    if password:
        request.session[_first_admin_key(slug)] = {
            "login_id": form.cleaned_data["admin_new_login_id"].strip().lower(),
            "password": password,
        }


@staff_required
@require_POST
def district_provision_now(request, slug: str):
    """Provision a planned district from its page, its first admin named or made inline."""
    district = _district_or_404(slug)
    if district.status != District.Status.PLANNED:
        messages.error(request, _("Only a planned district is provisioned from its page."))
        return redirect("state_district", slug=slug)
    form = ProvisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            password = district_provision_planned(
                actor=actor_of(request),
                district=district,
                admin_login_id=data["admin_login_id"],
                new_admin=form.new_admin(),
                template=data["template"],
            )
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            _first_admin_keep(request, slug, form, password)
            return redirect("state_district_onboarding", slug=slug)
    return _detail(request, district, form=form, status=400)


@staff_required
def district_new(request):
    form = OnboardForm(request.POST or None, root_domain=settings.ROOT_DOMAIN)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = DistrictSpec(
            slug=data["slug"],
            name=data["name"].strip(),
            name_hi=data["name_hi"].strip(),
            range_name=form.range_name(),
            admin_login_id=data["admin_login_id"].strip(),
            kind=data["kind"],
        )
        try:
            password = district_onboard_with_admin(
                actor=actor_of(request),
                spec=spec,
                new_admin=form.new_admin(),
                template=data["template"],
                supervised=form.supervised_slugs(),
            )
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            _first_admin_keep(request, spec.slug, form, password)
            return redirect("state_district_onboarding", slug=spec.slug)
    return render(request, "state_admin/districts/new.html", {"form": form})


@staff_required
def district_onboarding(request, slug: str):
    """The onboarding progress page: its steps come from the task's record, so a reload resumes."""
    progress = provisioning_progress_get(slug)
    if progress is None:
        raise Http404
    planned = District.objects.filter(slug=slug, status=District.Status.PLANNED).exists()
    return render(
        request,
        "state_admin/districts/onboarding.html",
        {
            "slug": slug,
            "progress": progress,
            "step_labels": STEP_LABELS,
            "first_admin": request.session.pop(_first_admin_key(slug), None),
            "retry_url": reverse("state_district", args=[slug]) if planned else reverse("state_district_new"),
        },
    )


@staff_required
def provisioning_status(request, slug: str):
    """The progress of a district's provisioning task, for the onboarding page to poll (JSON)."""
    progress = provisioning_progress_get(slug)
    if progress is None:
        return JsonResponse(
            {"state": "unknown", "error": _("No provisioning has been started for this district.")},
            status=404,
        )
    return JsonResponse({**progress, "label": str(STEP_LABELS.get(progress.get("step"), ""))})


@staff_required
def range_list(request):
    return render(
        request, "state_admin/districts/ranges.html", {"ranges": police_range_list(), "form": RangeForm()}
    )


@staff_required
@require_POST
def range_create(request):
    form = RangeForm(request.POST)
    if form.is_valid():
        try:
            police_range_create(actor=actor_of(request), **form.cleaned_data)
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, _("Range added."))
            return redirect("state_ranges")
    return render(
        request,
        "state_admin/districts/ranges.html",
        {"ranges": police_range_list(), "form": form},
        status=400,
    )
