"""Suspending a district asks to be sure, saying how many people it signs out (issue 15, 6.4)."""

import pytest
from django.db.models import Q
from django.utils import timezone

from core.models import Posting
from state_admin.models import AuditEvent
from tenants.context import district_context
from tenants.models import District
from tests.helpers import HostClient
from tests.state_admin.conftest import non_staff_clients, refused

pytestmark = pytest.mark.django_db


def _posted_in_vaishali(world) -> int:
    today = timezone.localdate()
    with district_context(world.vaishali.schema_name):
        return (
            Posting.objects.filter(starts_on__lte=today)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .values("person")
            .distinct()
            .count()
        )


def _signed_in(*logins):
    clients = []
    for login in logins:
        client = HostClient("vaishali")
        assert client.sign_in(login).status_code == 302
        clients.append(client)
    return clients


def test_suspend_form_says_how_many_are_signed_out(world, staff_client):
    # Two officers signed in twice between them (one on two browsers): two people, not three sessions.
    _signed_in("sdpo.mahua", "sdpo.mahua", "clerk.vaishali")
    page = staff_client.get("/districts/vaishali/lifecycle/")
    assert page.status_code == 200
    impact = page.context["actions"][0][2].impact
    assert impact.signed_in == 2
    assert impact.posted == _posted_in_vaishali(world) >= 3
    assert "2 people are signed in to the district now and will be signed out at once." in page.text
    assert f"{impact.posted} people posted there cannot sign in until it is resumed." in page.text
    assert 'name="confirm"' in page.text
    # Another district's sessions are not counted.
    muzaffarpur = staff_client.get("/districts/muzaffarpur/lifecycle/")
    assert muzaffarpur.context["actions"][0][2].impact.signed_in == 0


def test_suspend_without_confirmation_changes_nothing_and_says_why(world, staff_client):
    officer = _signed_in("sdpo.mahua")[0]
    response = staff_client.post("/districts/vaishali/lifecycle/suspend/", {"reason": "Server move"})
    assert response.status_code == 400
    assert "Tick the box to confirm" in response.text
    assert "1 person is signed in to the district now" in response.text
    assert District.objects.get(slug="vaishali").status == District.Status.LIVE
    assert not AuditEvent.objects.filter(action="district.suspend").exists()
    assert officer.get("/").status_code == 200  # still signed in

    response = staff_client.post(
        "/districts/vaishali/lifecycle/suspend/", {"reason": "Server move", "confirm": "on"}
    )
    assert response.status_code == 302
    assert District.objects.get(slug="vaishali").status == District.Status.SUSPENDED
    event = AuditEvent.objects.get(action="district.suspend")
    assert event.details["sessions_ended"] >= 1


def test_non_staff_get_no_counts_and_cannot_confirm(world):
    _signed_in("sdpo.mahua")
    for who, client in non_staff_clients().items():
        page = client.get("/districts/vaishali/lifecycle/")
        assert refused(page), who
        assert "signed in to the district now" not in page.content.decode(), who
        response = client.post("/districts/vaishali/lifecycle/suspend/", {"reason": "x", "confirm": "on"})
        assert refused(response), who
    for subdomain, login in (("vaishali", "sdpo.mahua"), ("muzaffarpur", "muzaffarpur.admin")):
        client = HostClient(subdomain)
        client.sign_in(login)
        response = client.post("/districts/vaishali/lifecycle/suspend/", {"reason": "x", "confirm": "on"})
        assert response.status_code in (302, 403, 404), login
        assert "/districts/" not in response.get("Location", ""), login
    assert District.objects.get(slug="vaishali").status == District.Status.LIVE
    assert not AuditEvent.objects.filter(action="district.suspend").exists()
