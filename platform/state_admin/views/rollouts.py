"""Rollout plans: list and create, a plan's districts × phases grid, target dates, go-lives."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.models import Office, ReadinessItem
from state_admin.models import PhaseTarget, RolloutPhase, RolloutPlan
from state_admin.services import rollouts as services
from state_admin.views.common import actor_of, staff_required
from tenants.models import District, PoliceRange


class PlanForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name (English)"), max_length=150)
    name_hi = forms.CharField(label=gettext_lazy("Name (Hindi)"), max_length=150, required=False)
    police_range = forms.ModelChoiceField(
        label=gettext_lazy("Police range"), queryset=PoliceRange.objects.order_by("name"), required=False
    )


class PhaseForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name (English)"), max_length=150)
    name_hi = forms.CharField(label=gettext_lazy("Name (Hindi)"), max_length=150, required=False)
    office_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Office types"), choices=Office.Kind.choices, widget=forms.CheckboxSelectMultiple
    )


class TargetForm(forms.Form):
    district = forms.ModelChoiceField(
        label=gettext_lazy("District"),
        # Police districts only: a range office or headquarters is not rolled out by phases.
        queryset=District.objects.police_districts()
        .exclude(status=District.Status.ARCHIVED)
        .order_by("name"),
        to_field_name="slug",
    )
    phase = forms.TypedChoiceField(label=gettext_lazy("Phase"), coerce=int)
    target_on = forms.DateField(
        label=gettext_lazy("Target date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, plan: RolloutPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [(phase.number, phase.name) for phase in plan.phases.all()]


class OverrideForm(forms.Form):
    office = forms.SlugField(max_length=40, widget=forms.HiddenInput)
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def plan_grid(plan: RolloutPlan) -> tuple[list[RolloutPhase], list[dict]]:
    """The plan's phases, and one row per district with its target (or None) for each phase."""
    phases = list(plan.phases.order_by("number"))
    kinds = dict(Office.Kind.choices)
    for phase in phases:
        phase.kind_labels = [str(kinds.get(kind, kind)) for kind in phase.office_kinds]
    targets = PhaseTarget.objects.filter(phase__plan=plan).select_related("district", "phase")
    labels = dict(ReadinessItem.Item.choices)
    by_district: dict[int, dict] = {}
    for target in targets:
        row = by_district.setdefault(target.district_id, {"district": target.district, "cells": {}})
        target.blocked_list = [
            {"code": code, "missing": [labels.get(item, item) for item in items]}
            for code, items in sorted(target.blocked_offices.items())
        ]
        row["cells"][target.phase_id] = target
    rows = sorted(by_district.values(), key=lambda row: row["district"].name)
    for row in rows:
        row["targets"] = [{"phase": phase, "target": row["cells"].get(phase.pk)} for phase in phases]
    return phases, rows


def _plans():
    return RolloutPlan.objects.select_related("police_range").prefetch_related("phases")


@staff_required
def rollout_list(request):
    return render(request, "state_admin/rollouts/list.html", {"plans": _plans(), "form": PlanForm()})


@staff_required
@require_POST
def rollout_create(request):
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            plan = services.rollout_plan_create(actor=actor_of(request), **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Rollout plan made with three phases."))
            return redirect("state_rollout", pk=plan.pk)
    return render(request, "state_admin/rollouts/list.html", {"plans": _plans(), "form": form}, status=400)


@staff_required
def rollout_detail(request, pk: int):
    plan = get_object_or_404(RolloutPlan, pk=pk)
    phases, rows = plan_grid(plan)
    context = {"plan": plan, "phases": phases, "rows": rows, "target_form": TargetForm(plan=plan)}
    return render(request, "state_admin/rollouts/detail.html", context)


@staff_required
def phase_edit(request, pk: int, number: int):
    phase = get_object_or_404(RolloutPhase, plan_id=pk, number=number)
    initial = {"name": phase.name, "name_hi": phase.name_hi, "office_kinds": phase.office_kinds}
    form = PhaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rollout_phase_update(actor=actor_of(request), phase=phase, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Phase saved."))
            return redirect("state_rollout", pk=pk)
    return render(request, "state_admin/rollouts/phase.html", {"phase": phase, "form": form})


@staff_required
@require_POST
def target_set(request, pk: int):
    plan = get_object_or_404(RolloutPlan, pk=pk)
    form = TargetForm(request.POST, plan=plan)
    if not form.is_valid():
        errors = [f"{form.fields[name].label}: {' '.join(errs)}" for name, errs in form.errors.items()]
        messages.error(request, " ".join(errors))
        return redirect("state_rollout", pk=pk)
    data = form.cleaned_data
    phase = plan.phases.get(number=data["phase"])
    try:
        services.phase_target_set(
            actor=actor_of(request), phase=phase, district=data["district"], target_on=data["target_on"]
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("%(district)s, %(phase)s: target date %(date)s.")
            % {"district": data["district"].name, "phase": phase.name, "date": data["target_on"].isoformat()},
        )
    return redirect("state_rollout", pk=pk)


@staff_required
@require_POST
def target_go_live(request, pk: int):
    target = get_object_or_404(PhaseTarget.objects.select_related("phase", "district"), pk=pk)
    try:
        target = services.phase_go_live(actor=actor_of(request), target=target)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        if target.status == PhaseTarget.Status.DONE:
            messages.success(
                request,
                _("%(district)s: every office of the phase is live.") % {"district": target.district.name},
            )
        else:
            messages.warning(
                request,
                _("%(district)s: %(count)s offices are waiting for readiness.")
                % {"district": target.district.name, "count": len(target.blocked_offices)},
            )
    return redirect("state_rollout", pk=target.phase.plan_id)


@staff_required
@require_POST
def office_override(request, pk: int):
    target = get_object_or_404(PhaseTarget.objects.select_related("phase", "district"), pk=pk)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the reason for going live before the office is ready."))
        return redirect("state_rollout", pk=target.phase.plan_id)
    office = form.cleaned_data["office"]
    try:
        services.office_go_live_override(
            actor=actor_of(request), target=target, office_code=office, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("%(office)s is live; the reason is recorded.") % {"office": office})
    return redirect("state_rollout", pk=target.phase.plan_id)
