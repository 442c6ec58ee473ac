import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import Office, ReadinessItem
from core.org import services as core_services
from core.org.services.readiness import readiness_confirm
from state_admin.models import AuditEvent, PhaseTarget, RolloutPhase, RolloutPlan
from state_admin.services.audit import StaffActor
from state_admin.services.rollouts import (
    office_go_live_override,
    phase_go_live,
    phase_target_set,
    rollout_go_live_due,
    rollout_phase_update,
    rollout_plan_create,
)
from state_admin.tasks.rollouts import rollout_go_live_due_task
from tenants.context import district_context
from tenants.models import District
from tests.state_admin.conftest import non_staff_clients, refused

pytestmark = pytest.mark.django_db

REASON = "Power backup is on order; the SP wants the thana on e-Office now"


def _plan(world) -> RolloutPlan:
    return rollout_plan_create(actor=StaffActor(user=world.staff), name="Tirhut 2025", name_hi="तिरहुत 2025")


def _phase(plan: RolloutPlan, number: int) -> RolloutPhase:
    return plan.phases.get(number=number)


def _thana(district: District, code: str, *, ready: bool, person) -> Office:
    with district_context(district.schema_name):
        office = core_services.office_create(code=code, name=f"Thana {code}", kind=Office.Kind.THANA, phase=3)
        items = ReadinessItem.Item.values if ready else ["computers", "training"]
        for item in items:
            readiness_confirm(office=office, item=item, person=person)
    return office


def _every_thana_ready(district: District, person) -> None:
    """Thanas someone else left in the district must not decide these tests."""
    with district_context(district.schema_name):
        for office in Office.objects.filter(kind=Office.Kind.THANA):
            for item in ReadinessItem.Item.values:
                readiness_confirm(office=office, item=item, person=person)


def _office(district: District, code: str) -> Office:
    with district_context(district.schema_name):
        return Office.objects.get(code=code)


def _phase_3_target(world, plan, district, target_on):
    """The plan's phase 3 targeted at ``district`` on ``target_on``, set by the state staff."""
    return phase_target_set(
        actor=StaffActor(user=world.staff), phase=_phase(plan, 3), district=district, target_on=target_on
    )


def test_a_new_plan_has_the_three_default_phases(world):
    plan = _plan(world)
    phases = list(plan.phases.order_by("number"))
    assert [phase.number for phase in phases] == [1, 2, 3]
    assert phases[0].office_kinds == ["sp_office", "police_line", "dsp_hq", "sdpo"]
    assert phases[1].office_kinds == ["circle"] and phases[2].office_kinds == ["thana"]
    assert all(kind in Office.Kind.values for phase in phases for kind in phase.office_kinds)
    assert AuditEvent.objects.filter(action="rollout.create", actor=world.staff).count() == 1


def test_staff_creates_a_plan_and_sees_it(world, staff_client):
    response = staff_client.post("/rollouts/new/", {"name": "Tirhut range", "name_hi": "तिरहुत रेंज"})
    plan = RolloutPlan.objects.get(name="Tirhut range")
    assert response.status_code == 302 and response.url == f"/rollouts/{plan.pk}/"
    assert plan.phases.count() == 3
    listing = staff_client.get("/rollouts/")
    assert listing.status_code == 200 and "तिरहुत रेंज" in listing.text
    page = staff_client.get(f"/rollouts/{plan.pk}/")
    assert page.status_code == 200 and "Circle office" in page.text
    assert staff_client.post("/rollouts/new/", {"name": ""}).status_code == 400
    assert RolloutPlan.objects.count() == 1


def test_staff_edits_a_phase(world, staff_client):
    plan = _plan(world)
    url = f"/rollouts/{plan.pk}/phases/2/"
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url, {"name": "Phase 2 — circles and DCRB", "office_kinds": ["circle", "other"]}
    )
    assert response.status_code == 302
    phase = _phase(plan, 2)
    assert phase.name == "Phase 2 — circles and DCRB" and phase.office_kinds == ["circle", "other"]
    assert AuditEvent.objects.filter(action="rollout.phase_update").exists()
    for bad in (
        {"name": "x", "office_kinds": ["fort"]},
        {"name": "x"},
        {"name": "", "office_kinds": ["thana"]},
    ):
        assert staff_client.post(url, bad).status_code == 200
    assert _phase(plan, 2).office_kinds == ["circle", "other"]
    with pytest.raises(ValidationError):
        rollout_phase_update(actor=StaffActor(user=world.staff), phase=phase, name="x", office_kinds=["fort"])


def test_staff_adds_a_district_and_moves_its_date(world, staff_client):
    plan = _plan(world)
    url = f"/rollouts/{plan.pk}/targets/"
    response = staff_client.post(url, {"district": "vaishali", "phase": "1", "target_on": "2025-03-20"})
    assert response.status_code == 302
    target = PhaseTarget.objects.get(phase__plan=plan, district=world.vaishali)
    assert target.target_on == datetime.date(2025, 3, 20) and target.status == PhaseTarget.Status.SCHEDULED
    staff_client.post(url, {"district": "vaishali", "phase": "1", "target_on": "2025-04-01"})
    target.refresh_from_db()
    assert target.target_on == datetime.date(2025, 4, 1)
    events = AuditEvent.objects.filter(action="rollout.target_set", district_slug="vaishali").order_by("id")
    assert [event.details["previous"] for event in events] == [None, "2025-03-20"]
    page = staff_client.get(f"/rollouts/{plan.pk}/")
    assert "Vaishali" in page.text and "2025-04-01" in page.text and "Scheduled" in page.text
    for bad in (
        {"district": "vaishali", "phase": "1", "target_on": "not a date"},
        {"district": "atlantis", "phase": "1", "target_on": "2025-05-01"},
        {"district": "vaishali", "phase": "7", "target_on": "2025-05-01"},
    ):
        response = staff_client.post(url, bad, follow=True)
        assert response.status_code == 200 and 'class="error"' in response.text
    target.refresh_from_db()
    assert target.target_on == datetime.date(2025, 4, 1) and PhaseTarget.objects.count() == 1


def test_go_live_now_takes_ready_offices_live_and_lists_the_rest(world, staff_client):
    _every_thana_ready(world.vaishali, world.staff)
    _thana(world.vaishali, "t-ro-ready", ready=True, person=world.staff)
    _thana(world.vaishali, "t-ro-waiting", ready=False, person=world.staff)
    plan = _plan(world)
    target = _phase_3_target(world, plan, world.vaishali, datetime.date(2030, 1, 1))
    response = staff_client.post(f"/rollouts/targets/{target.pk}/go-live/")
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == PhaseTarget.Status.BLOCKED and target.done_on is None
    assert target.blocked_offices == {"t-ro-waiting": ["scanner", "internet", "power", "migration"]}
    assert _office(world.vaishali, "t-ro-ready").status == Office.Status.LIVE
    assert _office(world.vaishali, "t-ro-waiting").status == Office.Status.PLANNED
    event = AuditEvent.objects.get(action="rollout.go_live")
    assert "t-ro-ready" in event.details["went_live"] and event.actor == world.staff
    page = staff_client.get(f"/rollouts/{plan.pk}/")
    assert (
        "Waiting for readiness" in page.text and "t-ro-waiting" in page.text and "Power backup" in page.text
    )


def test_override_needs_a_reason_then_goes_live_and_is_audited(world, staff_client):
    _every_thana_ready(world.vaishali, world.staff)
    _thana(world.vaishali, "t-ro-waiting", ready=False, person=world.staff)
    plan = _plan(world)
    target = _phase_3_target(world, plan, world.vaishali, timezone.localdate())
    phase_go_live(actor=None, target=target)
    url = f"/rollouts/targets/{target.pk}/override/"
    for reason in ("", "   ", "because"):
        response = staff_client.post(url, {"office": "t-ro-waiting", "reason": reason}, follow=True)
        assert response.status_code == 200
        assert _office(world.vaishali, "t-ro-waiting").status == Office.Status.PLANNED
    assert not AuditEvent.objects.filter(action="office.go_live_override").exists()
    with pytest.raises(ValidationError):
        office_go_live_override(
            actor=StaffActor(user=world.staff), target=target, office_code="t-ro-waiting", reason=""
        )

    response = staff_client.post(url, {"office": "t-ro-waiting", "reason": REASON})
    assert response.status_code == 302
    office = _office(world.vaishali, "t-ro-waiting")
    assert office.status == Office.Status.LIVE and office.go_live_override == REASON
    event = AuditEvent.objects.get(action="office.go_live_override")
    assert (
        event.details["reason"] == REASON
        and event.district_slug == "vaishali"
        and event.target == "t-ro-waiting"
    )
    assert event.details["missing"] == ["scanner", "internet", "power", "migration"]
    target.refresh_from_db()
    assert target.status == PhaseTarget.Status.DONE and target.blocked_offices == {}
    assert target.done_on == timezone.localdate()
    with pytest.raises(ValidationError):
        office_go_live_override(
            actor=StaffActor(user=world.staff),
            target=target,
            office_code="t-ro-waiting",
            reason=REASON + " again",
        )
    assert AuditEvent.objects.filter(action="office.go_live_override").count() == 1


def test_due_run_acts_on_the_date_and_ignores_future_targets(world):
    _every_thana_ready(world.vaishali, world.staff)
    _every_thana_ready(world.muzaffarpur, world.staff)
    _thana(world.vaishali, "t-due-ready", ready=True, person=world.staff)
    _thana(world.vaishali, "t-due-waiting", ready=False, person=world.staff)
    _thana(world.muzaffarpur, "t-due-future", ready=True, person=world.staff)
    plan = _plan(world)
    actor = StaffActor(user=world.staff)
    today = timezone.localdate()
    due = phase_target_set(actor=actor, phase=_phase(plan, 3), district=world.vaishali, target_on=today)
    future = phase_target_set(
        actor=actor,
        phase=_phase(plan, 3),
        district=world.muzaffarpur,
        target_on=today + datetime.timedelta(days=1),
    )
    counts = rollout_go_live_due_task.call_local()
    assert counts == {"checked": 1, "done": 0, "blocked": 1, "failed": 0}
    due.refresh_from_db()
    future.refresh_from_db()
    assert due.status == PhaseTarget.Status.BLOCKED
    assert list(due.blocked_offices) == ["t-due-waiting"]
    assert _office(world.vaishali, "t-due-ready").went_live_on == today
    assert future.status == PhaseTarget.Status.SCHEDULED and future.checked_at is None
    assert _office(world.muzaffarpur, "t-due-future").status == Office.Status.PLANNED
    event = AuditEvent.objects.get(action="rollout.go_live")
    assert event.actor is None and event.actor_login == "system"

    # Once the last office is ready, the next run finishes the target.
    with district_context(world.vaishali.schema_name):
        office = Office.objects.get(code="t-due-waiting")
        for item in ReadinessItem.Item.values:
            readiness_confirm(office=office, item=item, person=world.staff)
    tomorrow = today + datetime.timedelta(days=1)
    assert rollout_go_live_due(today=tomorrow) == {"checked": 2, "done": 2, "blocked": 0, "failed": 0}
    due.refresh_from_db()
    assert due.status == PhaseTarget.Status.DONE and due.done_on == tomorrow
    assert _office(world.vaishali, "t-due-waiting").went_live_on == tomorrow
    assert rollout_go_live_due(today=tomorrow)["checked"] == 0


def test_due_run_skips_suspended_districts(world):
    _thana(world.muzaffarpur, "t-due-suspended", ready=True, person=world.staff)
    plan = _plan(world)
    target = _phase_3_target(
        world, plan, world.muzaffarpur, timezone.localdate() - datetime.timedelta(days=3)
    )
    District.objects.filter(pk=world.muzaffarpur.pk).update(status=District.Status.SUSPENDED)
    assert rollout_go_live_due()["checked"] == 0
    target.refresh_from_db()
    assert target.status == PhaseTarget.Status.SCHEDULED
    assert _office(world.muzaffarpur, "t-due-suspended").status == Office.Status.PLANNED
    with pytest.raises(ValidationError):
        phase_go_live(actor=None, target=target)


def test_non_staff_are_refused_every_page_and_action(world):
    _thana(world.vaishali, "t-ro-waiting", ready=False, person=world.staff)
    plan = _plan(world)
    target = _phase_3_target(world, plan, world.vaishali, datetime.date(2030, 1, 1))
    audit_before = AuditEvent.objects.count()
    pages = ["/rollouts/", f"/rollouts/{plan.pk}/", f"/rollouts/{plan.pk}/phases/1/"]
    actions = [
        ("/rollouts/new/", {"name": "Evil plan"}),
        (f"/rollouts/{plan.pk}/phases/1/", {"name": "Evil", "office_kinds": ["thana"]}),
        (f"/rollouts/{plan.pk}/targets/", {"district": "vaishali", "phase": "3", "target_on": "2025-01-01"}),
        (f"/rollouts/targets/{target.pk}/go-live/", {}),
        (f"/rollouts/targets/{target.pk}/override/", {"office": "t-ro-waiting", "reason": REASON}),
    ]
    for who, client in non_staff_clients().items():
        for url in pages:
            assert refused(client.get(url)), (who, url)
        for url, data in actions:
            assert refused(client.post(url, data)), (who, url)
    assert RolloutPlan.objects.count() == 1 and _phase(plan, 1).name.startswith("Phase 1")
    target.refresh_from_db()
    assert target.target_on == datetime.date(2030, 1, 1) and target.status == PhaseTarget.Status.SCHEDULED
    assert _office(world.vaishali, "t-ro-waiting").status == Office.Status.PLANNED
    assert AuditEvent.objects.count() == audit_before
