"""Transfers between districts on the state console: platform staff see every pending proposal and
confirm (the move happens in both districts, each audited in its own trail, and in the platform
log) or decline; nobody else sees the page or decides."""

import datetime

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from core.base.audit import Actor
from core.models import AuditEvent, Office, Post, Posting
from core.org import services as core_services
from core.org.services.transfers import transfer_propose
from state_admin.models import AuditEvent as StaffAuditEvent
from tenants.context import district_context
from tenants.models import TransferProposal, User
from tenants.services import person_get_or_create
from tests.helpers import PASSWORD, TOTP_SECRET
from tests.state_admin.conftest import non_staff_clients, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(world):
    """Vaishali's admin has proposed taking an SI of Muzaffarpur into a Vaishali post."""
    person, _ = person_get_or_create(
        login_id="t.st.mover", full_name="State Mover", password=PASSWORD, must_set_password=False
    )
    User.objects.filter(pk=person.pk).update(service_number="BR-ST-0001")
    TOTP.activate(person, TOTP_SECRET)
    with district_context(world.muzaffarpur.schema_name):
        office = core_services.office_create(code="t-st-muz", name="Muz State", kind=Office.Kind.THANA)
        old = core_services.post_create(office=office, code="t-st-muz-si", title="SI Muz", kind=Post.Kind.SI)
        core_services.posting_start(person=person, post=old, starts_on=datetime.date(2024, 1, 1))
    with district_context(world.vaishali.schema_name):
        office = core_services.office_create(code="t-st-vai", name="Vai State", kind=Office.Kind.THANA)
        new = core_services.post_create(office=office, code="t-st-vai-si", title="SI Vai", kind=Post.Kind.SI)
        return transfer_propose(
            actor=Actor(person=User.objects.get(login_id="vaishali.admin")),
            person=person,
            post=new,
            from_districts=[world.muzaffarpur],
            on=timezone.localdate(),
        )


def _postings(world, person) -> tuple:
    with district_context(world.muzaffarpur.schema_name):
        there = list(Posting.objects.filter(person=person).values_list("pk", "ends_on"))
    with district_context(world.vaishali.schema_name):
        here = list(Posting.objects.filter(person=person).values_list("post__code", "starts_on"))
    return there, here


def test_staff_confirm_moves_the_officer_and_every_trail_records_it(world, proposal, staff_client):
    page = staff_client.get("/transfers/")
    assert page.status_code == 200 and "t.st.mover" in page.text and "SI Vai" in page.text
    day = timezone.localdate() + datetime.timedelta(days=1)
    response = staff_client.post(
        f"/transfers/{proposal.pk}/confirm/", {f"{proposal.pk}-moved_on": day.isoformat()}, follow=True
    )
    assert response.status_code == 200 and "Transfer confirmed." in response.text
    there, here = _postings(world, proposal.person)
    assert [ends_on for _pk, ends_on in there] == [day] and here == [("t-st-vai-si", day)]
    with district_context(world.muzaffarpur.schema_name):
        assert AuditEvent.objects.get(action="transfer.confirm").person_login == "state.staff"
    with district_context(world.vaishali.schema_name):
        assert AuditEvent.objects.get(action="officer.transfer").details["confirmed_by"] == "state.staff"
    logged = StaffAuditEvent.objects.get(action="transfer.confirm")
    assert logged.district_slug == "muzaffarpur" and logged.target == "t.st.mover"
    assert Authenticator.objects.filter(user=proposal.person).exists()
    assert TransferProposal.objects.get(pk=proposal.pk).status == TransferProposal.Status.CONFIRMED


def test_staff_decline_changes_nothing_in_either_district(world, proposal, staff_client):
    before = _postings(world, proposal.person)
    response = staff_client.post(f"/transfers/{proposal.pk}/decline/", {"remarks": "not now"}, follow=True)
    assert "Transfer declined" in response.text
    assert _postings(world, proposal.person) == before
    assert TransferProposal.objects.get(pk=proposal.pk).status == TransferProposal.Status.DECLINED
    assert StaffAuditEvent.objects.filter(action="transfer.decline").count() == 1


def test_nobody_but_staff_sees_or_decides(world, proposal):
    before = _postings(world, proposal.person)
    today = timezone.localdate().isoformat()
    for who, client in non_staff_clients().items():
        assert refused(client.get("/transfers/")), who
        assert refused(
            client.post(f"/transfers/{proposal.pk}/confirm/", {f"{proposal.pk}-moved_on": today})
        ), who
        assert refused(client.post(f"/transfers/{proposal.pk}/decline/", {"remarks": "no"})), who
    assert _postings(world, proposal.person) == before
    assert TransferProposal.objects.get(pk=proposal.pk).status == TransferProposal.Status.PENDING
