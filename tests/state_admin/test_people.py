"""Resetting a person's sign-in from the state console: platform staff find the account by login ID
or service number and reset it (authenticator removed, sessions ended in every district they work
in, a set-password link sent); nobody else may, and platform staff accounts are not reset here."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail

from core.models import AuditEvent, Office, Post
from core.org import services as core_services
from state_admin.models import AuditEvent as StaffAuditEvent
from tenants.context import district_context
from tenants.models import User
from tenants.services import person_get_or_create
from tests.helpers import PASSWORD, TOTP_SECRET, HostClient
from tests.state_admin.conftest import non_staff_clients, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_districts(world):
    """An SI who works in Vaishali and in Muzaffarpur, with an authenticator."""
    person, _ = person_get_or_create(
        login_id="t.pp.both",
        full_name="Both Districts",
        email="t.pp.both@example.org",
        password=PASSWORD,
        must_set_password=False,
    )
    User.objects.filter(pk=person.pk).update(service_number="BR-PP-0001")
    TOTP.activate(person, TOTP_SECRET)
    for district, code in ((world.vaishali, "t-pp-vai"), (world.muzaffarpur, "t-pp-muz")):
        with district_context(district.schema_name):
            office = core_services.office_create(code=code, name=code, kind=Office.Kind.THANA)
            post = core_services.post_create(office=office, code=f"{code}-si", title="SI", kind=Post.Kind.SI)
            core_services.posting_start(person=person, post=post)
    return person


def test_staff_find_by_service_number_and_reset_sign_in_everywhere(
    world, two_districts, staff_client, django_capture_on_commit_callbacks
):
    officer = HostClient("vaishali")
    assert officer.sign_in("t.pp.both").status_code == 302 and officer.get("/").status_code == 200
    page = staff_client.get("/people/?q=BR-PP-0001")
    assert page.status_code == 200 and "t.pp.both" in page.text and "Muzaffarpur" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/people/{two_districts.pk}/reset/", follow=True)
    assert "Sign-in reset" in response.text
    assert not Authenticator.objects.filter(user=two_districts).exists()
    assert officer.get("/").status_code == 302  # their session in Vaishali has ended
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["t.pp.both@example.org"]
    for district in (world.vaishali, world.muzaffarpur):
        with district_context(district.schema_name):
            event = AuditEvent.objects.get(action="officer.access_reset")
            assert event.person_login == "state.staff" and event.details["by_state_console"] is True
    assert StaffAuditEvent.objects.get(action="account.sign_in_reset").target == "t.pp.both"


def test_nobody_but_staff_finds_or_resets(world, two_districts):
    for who, client in non_staff_clients().items():
        assert refused(client.get("/people/?q=t.pp.both")), who
        assert refused(client.post(f"/people/{two_districts.pk}/reset/")), who
    assert Authenticator.objects.filter(user=two_districts).exists()
    # A district admin on their own host has no such page either.
    admin = HostClient("vaishali")
    admin.sign_in("vaishali.admin")
    assert admin.post(f"/people/{two_districts.pk}/reset/").status_code == 404
    assert Authenticator.objects.filter(user=two_districts).exists()


def test_platform_staff_accounts_are_not_found_nor_reset_here(world, staff_client):
    page = staff_client.get("/people/?q=state.staff")
    assert page.context["person"] is None and "No officer's account has this login ID" in page.text
    assert staff_client.post(f"/people/{world.staff.pk}/reset/").status_code == 404
    assert Authenticator.objects.filter(user=world.staff).exists()
