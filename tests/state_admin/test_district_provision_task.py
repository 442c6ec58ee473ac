import pytest
from django.conf import settings

from state_admin.services.provisioning import STEPS
from state_admin.tasks.provisioning import district_provision_task, provisioning_progress_get
from tenants.models import District
from tests.helpers import HostClient

pytestmark = pytest.mark.django_db


def test_task_records_each_step_and_the_end(world, monkeypatch):
    seen = []
    import state_admin.tasks.provisioning as tasks

    original = tasks.provisioning_progress_set
    monkeypatch.setattr(
        tasks,
        "provisioning_progress_set",
        lambda slug, **state: (seen.append(state["step"]), original(slug, **state)),
    )
    assert district_provision_task.call_local("sheohar", "Sheohar", "शिवहर", "Tirhut", None) is True
    assert [step for step in seen if step in STEPS] == list(STEPS) and seen[-1] == "done"
    assert provisioning_progress_get("sheohar")["state"] == "done"
    assert District.objects.get(slug="sheohar").status == District.Status.LIVE


def test_task_records_a_refusal(world):
    assert district_provision_task.call_local("www", "World") is False
    progress = provisioning_progress_get("www")
    assert progress["state"] == "failed" and "reserved" in progress["error"]


def test_progress_page_is_for_platform_staff_only(world):
    district_provision_task.call_local("sheohar", "Sheohar")
    staff = HostClient(None)
    staff.sign_in("state.staff")
    assert staff.get("/districts/sheohar/provisioning/").json()["state"] == "done"
    officer = HostClient(None)
    officer.sign_in("sdpo.mahua")
    assert officer.get("/districts/sheohar/provisioning/").status_code in (302, 403)
    assert HostClient(None).get("/districts/sheohar/provisioning/").status_code == 302
    # The same path on a district host is no such page.
    vaishali = HostClient("vaishali")
    vaishali.sign_in("sdpo.mahua")
    assert vaishali.get("/districts/sheohar/provisioning/").status_code == 404
    assert settings.ROOT_DOMAIN
