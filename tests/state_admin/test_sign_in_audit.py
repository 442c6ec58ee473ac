import pytest

from state_admin.models import AuditEvent
from tests.helpers import HostClient

pytestmark = pytest.mark.django_db


def test_staff_sign_in_on_the_state_console_is_audited_with_its_address(world):
    client = HostClient(None)
    client.sign_in("state.staff")
    event = AuditEvent.objects.get(action="account.sign_in")
    assert event.actor_login == "state.staff" and event.ip == client.defaults["REMOTE_ADDR"]


def test_a_failed_sign_in_on_a_staff_account_is_audited(world):
    client = HostClient(None)
    response = client.post("/accounts/login/", {"login": "state.staff", "password": "wrong-password"})
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="account.sign_in_failed")
    assert event.target == "state.staff" and event.ip == client.defaults["REMOTE_ADDR"]
    assert not AuditEvent.objects.filter(action="account.sign_in").exists()


def test_officers_signing_in_on_their_district_are_not_platform_audit_events(world):
    HostClient("vaishali").sign_in("sdpo.mahua")
    HostClient("vaishali").post("/accounts/login/", {"login": "sdpo.mahua", "password": "wrong-password"})
    HostClient(None).post("/accounts/login/", {"login": "sdpo.mahua", "password": "wrong-password"})
    assert not AuditEvent.objects.filter(action__startswith="account.").exists()
