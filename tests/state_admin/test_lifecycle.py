"""Suspend, resume and archive: the state console's page and actions, and what each does to the
district's host. Every status change here runs inside the test's transaction (rolled back), so
the session's Vaishali stays live for other tests."""

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError

from state_admin.models import AuditEvent
from state_admin.services.audit import StaffActor
from state_admin.services.lifecycle import (
    district_actions_allowed,
    district_archive,
    district_resume,
    district_suspend,
)
from tenants.context import district_context
from tenants.models import District
from tests.helpers import HostClient
from tests.state_admin.conftest import non_staff_clients, refused

pytestmark = pytest.mark.django_db


def _vaishali() -> District:
    return District.objects.get(slug="vaishali")


def _actor(world) -> StaffActor:
    return StaffActor(user=world.staff, ip="10.0.0.1")


def _session_count(district: District) -> int:
    with district_context(district.schema_name):
        return Session.objects.count()


# --- The page and its actions: staff only ------------------------------------------------------


def test_staff_sees_status_actions_and_exports(world, staff_client):
    response = staff_client.get("/districts/vaishali/lifecycle/")
    assert response.status_code == 200
    text = response.text
    assert "Vaishali" in text and "वैशाली" in text and "Live" in text
    assert "/districts/vaishali/lifecycle/suspend/" in text
    assert "/districts/vaishali/lifecycle/archive/" in text
    assert "/districts/vaishali/lifecycle/resume/" not in text
    assert "Export now" in text and "No exports yet." in text
    assert "delete" not in text.lower().replace("deleting a district is done only from the command line", "")


def test_unknown_district_page_is_404_for_staff(world, staff_client):
    assert staff_client.get("/districts/nowhere/lifecycle/").status_code == 404
    assert staff_client.post("/districts/nowhere/lifecycle/suspend/", {"reason": "x"}).status_code == 404
    assert staff_client.post("/districts/vaishali/lifecycle/explode/", {"reason": "x"}).status_code == 404


@pytest.mark.parametrize("verb", ["suspend", "archive", "resume"])
def test_non_staff_cannot_see_the_page_or_change_the_status(world, verb):
    for who, client in non_staff_clients().items():
        assert refused(client.get("/districts/vaishali/lifecycle/")), who
        response = client.post(f"/districts/vaishali/lifecycle/{verb}/", {"reason": "because"})
        assert refused(response), who
        assert _vaishali().status == District.Status.LIVE, who
    assert not AuditEvent.objects.filter(action=f"district.{verb}").exists()


def test_staff_suspends_resumes_and_archives_through_the_page(world, staff_client):
    response = staff_client.post(
        "/districts/vaishali/lifecycle/suspend/", {"reason": "Server move", "confirm": "on"}
    )
    assert response.status_code == 302 and response.url == "/districts/vaishali/lifecycle/"
    district = _vaishali()
    assert district.status == District.Status.SUSPENDED
    assert district.status_reason == "Server move" and district.status_changed_at is not None
    page = staff_client.get(response.url).text
    assert "Suspended" in page and "Server move" in page and "/lifecycle/resume/" in page

    assert (
        staff_client.post("/districts/vaishali/lifecycle/archive/", {"reason": "Closed"}).status_code == 302
    )
    assert _vaishali().status == District.Status.ARCHIVED
    assert staff_client.post("/districts/vaishali/lifecycle/resume/", {"reason": "Back"}).status_code == 302
    assert _vaishali().status == District.Status.LIVE
    events = list(AuditEvent.objects.filter(district_slug="vaishali").order_by("id"))
    assert [e.action for e in events[-3:]] == ["district.suspend", "district.archive", "district.resume"]
    assert events[-3].actor_login == "state.staff" and events[-3].details["reason"] == "Server move"
    assert events[-1].details == {"from": "archived", "to": "live", "reason": "Back"}


def test_blank_reason_is_a_field_error_and_changes_nothing(world, staff_client):
    response = staff_client.post("/districts/vaishali/lifecycle/suspend/", {"reason": "   "})
    assert response.status_code == 400
    assert "errorlist" in response.text
    assert _vaishali().status == District.Status.LIVE
    assert not AuditEvent.objects.filter(action="district.suspend").exists()


def test_disallowed_transition_through_the_page_says_why(world, staff_client):
    response = staff_client.post("/districts/vaishali/lifecycle/resume/", {"reason": "Nothing to resume"})
    assert response.status_code == 400
    assert "cannot be resumed" in response.text
    assert _vaishali().status == District.Status.LIVE


def test_get_on_an_action_is_not_allowed(world, staff_client):
    assert staff_client.get("/districts/vaishali/lifecycle/suspend/").status_code == 405


# --- The services -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "service", "message"),
    [
        (District.Status.LIVE, district_resume, "cannot be resumed"),
        (District.Status.PLANNED, district_suspend, "cannot be suspended"),
        (District.Status.PROVISIONING, district_archive, "cannot be archived"),
        (District.Status.ARCHIVED, district_archive, "cannot be archived"),
        (District.Status.SUSPENDED, district_suspend, "cannot be suspended"),
        (District.Status.PLANNED, district_resume, "cannot be resumed"),
    ],
)
def test_disallowed_transitions_raise_a_clear_error(world, start, service, message):
    District.objects.filter(slug="vaishali").update(status=start)
    with pytest.raises(ValidationError) as caught:
        service(actor=_actor(world), district=_vaishali(), reason="testing")
    assert message in " ".join(caught.value.messages)
    assert _vaishali().status == start
    assert not AuditEvent.objects.filter(district_slug="vaishali", action__startswith="district.").exists()


def test_actions_allowed_follow_the_status(world):
    district = _vaishali()
    expected = {
        District.Status.LIVE: ["suspend", "archive"],
        District.Status.SUSPENDED: ["resume", "archive"],
        District.Status.ARCHIVED: ["resume"],
        District.Status.PLANNED: [],
        District.Status.PROVISIONING: [],
    }
    for status, verbs in expected.items():
        district.status = status
        assert district_actions_allowed(district) == verbs


# --- What the district's host does --------------------------------------------------------------


def test_suspend_signs_everyone_out_and_refuses_sign_in_with_the_page(world):
    officer = HostClient("vaishali")
    assert officer.sign_in("sdpo.mahua").status_code == 302
    assert officer.get("/").status_code == 200  # also warms this process's host cache
    assert _session_count(_vaishali()) >= 1

    district_suspend(actor=_actor(world), district=_vaishali(), reason="Audit of the servers")

    assert _session_count(_vaishali()) == 0
    event = AuditEvent.objects.get(action="district.suspend")
    assert event.details["sessions_ended"] >= 1
    response = officer.get("/")
    assert response.status_code == 403
    assert "suspended" in response.text and "records are kept safe" in response.text
    fresh = HostClient("vaishali")
    response = fresh.post("/accounts/login/", {"login": "sdpo.mahua", "password": "test-password-1234"})
    assert response.status_code == 403 and "This district is suspended" in response.text
    assert _session_count(_vaishali()) == 0


def test_resume_lets_officers_sign_in_again(world):
    district_suspend(actor=_actor(world), district=_vaishali(), reason="Maintenance")
    client = HostClient("vaishali")
    assert client.get("/accounts/login/").status_code == 403
    district_resume(actor=_actor(world), district=_vaishali(), reason="Done")
    response = client.sign_in("sdpo.mahua")
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_archived_district_is_read_only_after_a_real_sign_in(world):
    admin = HostClient("vaishali")
    assert admin.sign_in("vaishali.admin").status_code == 302
    # Live: a POST reaches the view (whatever it answers), it is not refused.
    assert admin.post("/admin/", {}).status_code != 403
    district_archive(actor=_actor(world), district=_vaishali(), reason="District merged")

    # Signed-in people stay signed in and can read.
    assert admin.get("/").status_code == 200
    assert admin.get("/admin/").status_code == 200
    for path in ("/admin/", "/", "/nowhere/"):
        response = admin.post(path, {"anything": "1"})
        assert response.status_code == 403, path
        assert "archived and read-only" in response.text
    assert admin.put("/admin/").status_code == 403
    assert admin.delete("/").status_code == 403

    # The language switch still works, and so does signing out and in again.
    response = admin.post("/i18n/setlang/", {"language": "hi", "next": "/"})
    assert response.status_code == 302
    assert admin.get("/").status_code == 200
    assert admin.post("/admin/", {}).status_code == 403
    assert admin.post("/accounts/logout/").status_code == 302
    officer = HostClient("vaishali")
    assert officer.sign_in("sdpo.mahua").status_code == 302
    assert officer.get("/").status_code == 200
    assert officer.post("/", {}).status_code == 403


def test_archive_takes_effect_at_once_in_this_process(world):
    client = HostClient("vaishali")
    assert client.sign_in("sdpo.mahua").status_code == 302
    assert client.post("/", {}).status_code != 403  # live (and warms this process's host cache)
    district_archive(actor=_actor(world), district=_vaishali(), reason="Now")
    assert client.post("/", {}).status_code == 403


def test_other_district_is_untouched_by_a_suspension(world):
    other = HostClient("muzaffarpur")
    assert other.sign_in("sdpo.east").status_code == 302
    district_suspend(actor=_actor(world), district=_vaishali(), reason="Only Vaishali")
    assert other.get("/").status_code == 200
    assert District.objects.get(slug="muzaffarpur").status == District.Status.LIVE
