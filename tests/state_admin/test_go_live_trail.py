"""A go-live started from the state console is an event in the district's own hash-chained trail
(issue 17.4), as a district admin's is: one audited service, ``office_go_live``, for both."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from core.base.audit import audit_seal
from core.models import AuditEvent, Office, ReadinessItem
from core.org import services as core_services
from core.org.services.readiness import readiness_confirm
from state_admin.models import PhaseTarget
from state_admin.services.audit import StaffActor
from state_admin.services.rollouts import phase_go_live, phase_target_set, rollout_plan_create
from tenants.context import district_context

pytestmark = pytest.mark.django_db

REASON = "Power backup is on order; the SP wants the thana on e-Office now"


def _target(world) -> PhaseTarget:
    actor = StaffActor(user=world.staff)
    plan = rollout_plan_create(actor=actor, name="Trail plan")
    with district_context(world.vaishali.schema_name):
        for office in Office.objects.filter(kind=Office.Kind.THANA).exclude(status=Office.Status.LIVE):
            for item in ReadinessItem.Item.values:
                readiness_confirm(office=office, item=item, person=world.staff)
    return phase_target_set(
        actor=actor,
        phase=plan.phases.get(number=3),
        district=world.vaishali,
        target_on=datetime.date(2030, 1, 1),
    )


def _thana(world, code: str, *, ready: bool) -> Office:
    with district_context(world.vaishali.schema_name):
        office = core_services.office_create(code=code, name=f"Thana {code}", kind=Office.Kind.THANA, phase=3)
        for item in ReadinessItem.Item.values if ready else ["computers"]:
            readiness_confirm(office=office, item=item, person=world.staff)
    return office


def _trail_verified() -> None:
    out = StringIO()
    call_command("verify_audit", "vaishali", stdout=out)
    assert "vaishali: OK" in out.getvalue()


def test_state_console_go_live_is_in_the_districts_trail_and_the_chain_verifies(world, staff_client):
    target = _target(world)
    ready = _thana(world, "t-trail-ready", ready=True)
    response = staff_client.post(f"/rollouts/targets/{target.pk}/go-live/")
    assert response.status_code == 302
    with district_context(world.vaishali.schema_name):
        event = AuditEvent.objects.get(action="office.go_live", target_id=str(ready.pk))
        assert event.target_type == "office" and event.person_id == world.staff.pk
        assert event.person_login == "state.staff" and event.post_id is None
        assert event.details["missing"] == [] and event.details["override_reason"] == ""
        assert Office.objects.get(pk=ready.pk).status == Office.Status.LIVE
        audit_seal()
    _trail_verified()


def test_state_console_override_is_in_the_districts_trail_with_its_reason(world, staff_client):
    target = _target(world)
    waiting = _thana(world, "t-trail-waiting", ready=False)
    phase_go_live(actor=None, target=target)
    with district_context(world.vaishali.schema_name):
        assert not AuditEvent.objects.filter(
            action__startswith="office.go_live", target_id=str(waiting.pk)
        ).exists()
    response = staff_client.post(
        f"/rollouts/targets/{target.pk}/override/", {"office": "t-trail-waiting", "reason": REASON}
    )
    assert response.status_code == 302
    with district_context(world.vaishali.schema_name):
        event = AuditEvent.objects.get(action="office.go_live_override", target_id=str(waiting.pk))
        assert event.person_id == world.staff.pk and event.details["override_reason"] == REASON
        assert "scanner" in event.details["missing"] and "computers" not in event.details["missing"]
        audit_seal()
    _trail_verified()


def test_the_daily_run_records_the_system_in_the_trail(world):
    target = _target(world)
    ready = _thana(world, "t-trail-daily", ready=True)
    phase_go_live(actor=None, target=target)
    with district_context(world.vaishali.schema_name):
        event = AuditEvent.objects.get(action="office.go_live", target_id=str(ready.pk))
        assert event.person_id is None and event.person_login == "system"


def test_a_refused_go_live_leaves_neither_a_change_nor_an_event(world, staff_client):
    target = _target(world)
    waiting = _thana(world, "t-trail-refused", ready=False)
    phase_go_live(actor=None, target=target)
    response = staff_client.post(
        f"/rollouts/targets/{target.pk}/override/", {"office": "t-trail-refused", "reason": "because"}
    )
    assert response.status_code == 302
    with district_context(world.vaishali.schema_name):
        assert Office.objects.get(pk=waiting.pk).status == Office.Status.PLANNED
        assert not AuditEvent.objects.filter(
            action__startswith="office.go_live", target_id=str(waiting.pk)
        ).exists()


def test_a_closed_office_is_left_out_of_a_phase_and_never_goes_live(world):
    target = _target(world)
    closed = _thana(world, "t-trail-closed", ready=True)
    with district_context(world.vaishali.schema_name):
        Office.objects.filter(pk=closed.pk).update(status=Office.Status.CLOSED)
    target = phase_go_live(actor=None, target=target)
    assert target.status == PhaseTarget.Status.DONE and "t-trail-closed" not in target.blocked_offices
    with district_context(world.vaishali.schema_name):
        assert Office.objects.get(pk=closed.pk).status == Office.Status.CLOSED
        assert not AuditEvent.objects.filter(
            action__startswith="office.go_live", target_id=str(closed.pk)
        ).exists()
