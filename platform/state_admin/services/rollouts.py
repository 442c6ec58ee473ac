"""Phased rollouts: plans, their phases (office types), target dates per district, and go-lives.

An office goes live only when its readiness checklist is complete, or when platform staff
override with a written reason. A phase target whose date has come takes every ready office of
the phase's types live; the others are recorded on the target with what each lacks and the
target waits (BLOCKED) until a later run finds them ready. Staff call these from the state
console; the periodic task calls ``rollout_go_live_due`` with no actor (audited as "system").
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.audit import Actor
from core.models import Office
from core.org.selectors.readiness import office_readiness_gaps, offices_readiness_gaps
from core.org.services.go_live import office_go_live
from state_admin.models import PhaseTarget, RolloutPhase, RolloutPlan
from state_admin.services.audit import StaffActor, audit_record
from tenants.context import district_context
from tenants.models import District, PoliceRange

logger = logging.getLogger(__name__)


def _in_district(actor: StaffActor | None) -> Actor | None:
    """The staff member as the district's trail records them (no post); None stays the system."""
    return Actor(person=actor.user, ip=actor.ip) if actor else None


K = Office.Kind
# number, English name, Hindi name, office kinds
DEFAULT_PHASES: tuple[tuple[int, str, str, list[str]], ...] = (
    (
        1,
        "Phase 1 — SP office, police line, DSP HQ, SDPO offices",
        "प्रथम फेज — एसपी कार्यालय, पुलिस लाइन, मुख्यालय डीएसपी, एसडीपीओ कार्यालय",
        [K.SP_OFFICE.value, K.POLICE_LINE.value, K.DSP_HQ.value, K.SDPO.value],
    ),
    (2, "Phase 2 — circle offices", "द्वितीय फेज — अंचल कार्यालय", [K.CIRCLE.value]),
    (3, "Phase 3 — thanas", "तृतीय फेज — थाना", [K.THANA.value]),
)


@transaction.atomic
def rollout_plan_create(
    *, actor: StaffActor, name: str, name_hi: str = "", police_range: PoliceRange | None = None
) -> RolloutPlan:
    """A plan with the three default phases. Audited "rollout.create"."""
    if not name.strip():
        raise ValidationError({"name": [_("Give the plan a name.")]})
    plan = RolloutPlan.objects.create(
        name=name.strip(), name_hi=name_hi.strip(), police_range=police_range, created_by=actor.user
    )
    for number, phase_name, phase_name_hi, kinds in DEFAULT_PHASES:
        RolloutPhase.objects.create(
            plan=plan, number=number, name=phase_name, name_hi=phase_name_hi, office_kinds=kinds
        )
    audit_record(
        actor=actor,
        action="rollout.create",
        target=plan.name,
        details={"plan": plan.pk, "range": police_range.name if police_range else ""},
    )
    return plan


@transaction.atomic
def rollout_phase_update(
    *, actor: StaffActor, phase: RolloutPhase, name: str, name_hi: str = "", office_kinds: list[str]
) -> RolloutPhase:
    """Rename a phase and choose the office types it takes live. Audited "rollout.phase_update"."""
    errors: dict[str, list] = {}
    if not name.strip():
        errors["name"] = [_("Give the phase a name.")]
    unknown = sorted(set(office_kinds) - set(Office.Kind.values))
    if unknown:
        errors["office_kinds"] = [_("Unknown office types: %(kinds)s.") % {"kinds": ", ".join(unknown)}]
    elif not office_kinds:
        errors["office_kinds"] = [_("Choose at least one office type.")]
    if errors:
        raise ValidationError(errors)
    before = {"name": phase.name, "office_kinds": list(phase.office_kinds)}
    phase.name, phase.name_hi = name.strip(), name_hi.strip()
    phase.office_kinds = [kind for kind in Office.Kind.values if kind in set(office_kinds)]
    phase.save()
    audit_record(
        actor=actor,
        action="rollout.phase_update",
        target=f"{phase.plan.name} · {phase.number}",
        details={"before": before, "after": {"name": phase.name, "office_kinds": phase.office_kinds}},
    )
    return phase


@transaction.atomic
def phase_target_set(
    *, actor: StaffActor, phase: RolloutPhase, district: District, target_on: datetime.date
) -> PhaseTarget:
    """Set (or move) the date a district's offices of a phase go live; adds the district to the
    plan. A target already done keeps its status. Audited "rollout.target_set"."""
    if district.status == District.Status.ARCHIVED:
        raise ValidationError({"district": [_("%(district)s is archived.") % {"district": district.name}]})
    if not district.is_police_district:
        raise ValidationError(
            {
                "district": [
                    _(
                        "%(district)s is a range or headquarters office, not a police district: "
                        "it has no rollout phases."
                    )
                    % {"district": district.name}
                ]
            }
        )
    target = PhaseTarget.objects.select_for_update().filter(phase=phase, district=district).first()
    previous = target.target_on.isoformat() if target else None
    if target is None:
        target = PhaseTarget.objects.create(phase=phase, district=district, target_on=target_on)
    else:
        target.target_on = target_on
        target.save(update_fields=["target_on"])
    audit_record(
        actor=actor,
        action="rollout.target_set",
        district=district,
        target=f"{phase.plan.name} · {phase.number}",
        details={
            "plan": phase.plan_id,
            "phase": phase.number,
            "target_on": target_on.isoformat(),
            "previous": previous,
        },
    )
    return target


@transaction.atomic
def phase_go_live(
    *, actor: StaffActor | None, target: PhaseTarget, today: datetime.date | None = None
) -> PhaseTarget:
    """Take live, in the target's district, every office of the phase's types that is ready.

    Offices not ready are recorded in ``blocked_offices`` ({code: [missing items]}) and the
    target is BLOCKED; when none remain it is DONE with ``done_on``. Audited "rollout.go_live"
    here, and each office's go-live in the district's own trail (``office_go_live``). Refuses a
    district that is not live.
    """
    target = (
        PhaseTarget.objects.select_for_update().select_related("phase__plan", "district").get(pk=target.pk)
    )
    district, phase = target.district, target.phase
    if district.status != District.Status.LIVE:
        raise ValidationError(
            _("%(district)s is not live; its offices cannot go live now.") % {"district": district.name}
        )
    day = today or timezone.localdate()
    went_live: list[str] = []
    blocked: dict[str, list[str]] = {}
    with district_context(district.schema_name):
        offices = list(
            Office.objects.filter(kind__in=phase.office_kinds)
            .exclude(status__in=[Office.Status.LIVE, Office.Status.CLOSED])
            .order_by("code")
        )
        gaps_of = offices_readiness_gaps(offices)
        for office in offices:
            gaps = gaps_of[office.pk]
            if gaps:
                blocked[office.code] = gaps
            else:
                office_go_live(actor=_in_district(actor), office=office, on=day)
                went_live.append(office.code)
    target.blocked_offices = blocked
    target.status = PhaseTarget.Status.BLOCKED if blocked else PhaseTarget.Status.DONE
    target.done_on = None if blocked else (target.done_on or day)
    target.checked_at = timezone.now()
    target.save(update_fields=["blocked_offices", "status", "done_on", "checked_at"])
    audit_record(
        actor=actor,
        action="rollout.go_live",
        district=district,
        target=f"{phase.plan.name} · {phase.number}",
        details={"plan": phase.plan_id, "phase": phase.number, "went_live": went_live, "blocked": blocked},
    )
    return target


@transaction.atomic
def office_go_live_override(
    *,
    actor: StaffActor,
    target: PhaseTarget,
    office_code: str,
    reason: str,
    today: datetime.date | None = None,
) -> PhaseTarget:
    """Take one blocked office live without a complete checklist, for a written reason (kept on
    the office, in the platform log and in the district's trail, "office.go_live_override").
    The target is DONE when no office of it remains blocked."""
    target = (
        PhaseTarget.objects.select_for_update().select_related("phase__plan", "district").get(pk=target.pk)
    )
    district = target.district
    if not reason.strip():
        raise ValidationError({"reason": [_("Write why the office goes live before it is ready.")]})
    if district.status != District.Status.LIVE:
        raise ValidationError(_("%(district)s is not live.") % {"district": district.name})
    day = today or timezone.localdate()
    with district_context(district.schema_name):
        office = Office.objects.filter(code=office_code, kind__in=target.phase.office_kinds).first()
        if office is None:
            raise ValidationError(
                _("No office “%(code)s” of this phase in %(district)s.")
                % {"code": office_code, "district": district.name}
            )
        if office.status == Office.Status.LIVE:
            raise ValidationError(_("%(office)s is already live.") % {"office": office.name})
        gaps = office_readiness_gaps(office)
        try:
            office = office_go_live(actor=_in_district(actor), office=office, override_reason=reason, on=day)
        except ValidationError as exc:
            raise ValidationError({"reason": exc.messages}) from exc
    blocked = {code: items for code, items in target.blocked_offices.items() if code != office_code}
    target.blocked_offices = blocked
    if not blocked and target.status == PhaseTarget.Status.BLOCKED:
        target.status, target.done_on = PhaseTarget.Status.DONE, day
    target.save(update_fields=["blocked_offices", "status", "done_on"])
    audit_record(
        actor=actor,
        action="office.go_live_override",
        district=district,
        target=office_code,
        details={"reason": office.go_live_override, "missing": gaps, "phase": target.phase.number},
    )
    return target


def rollout_go_live_due(*, actor: StaffActor | None = None, today: datetime.date | None = None) -> dict:
    """Run the go-live of every target whose date has come (``target_on`` <= today), not yet done,
    in a live district. Each target is its own transaction: one failure does not stop the rest.
    Returns counts {"checked", "done", "blocked", "failed"}. Called daily by the periodic task."""
    day = today or timezone.localdate()
    due = PhaseTarget.objects.filter(target_on__lte=day, district__status=District.Status.LIVE).exclude(
        status=PhaseTarget.Status.DONE
    )
    counts = {"checked": 0, "done": 0, "blocked": 0, "failed": 0}
    for target in due.order_by("target_on", "pk"):
        counts["checked"] += 1
        try:
            result = phase_go_live(actor=actor, target=target, today=day)
        except Exception:
            logger.exception("Scheduled go-live failed for target %s", target.pk)
            counts["failed"] += 1
            continue
        counts["done" if result.status == PhaseTarget.Status.DONE else "blocked"] += 1
    return counts
