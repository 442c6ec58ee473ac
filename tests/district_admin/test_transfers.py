"""Transfers between districts: Vaishali's admin adding an officer of Muzaffarpur only proposes
the transfer; nothing in Muzaffarpur, and nothing of the account, changes until Muzaffarpur's
admin (on Muzaffarpur's host) confirms, choosing the date of the move, or declines. Who may see and
decide; reset access never takes another district's officer's password or authenticator."""

import datetime

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.base.audit import Actor, audit_verify
from core.models import AuditEvent, Office, Post, Posting
from core.org import services as core_services
from core.org.services.transfers import transfer_confirm
from tenants.context import district_context
from tenants.models import DistrictMembership, TransferProposal, User
from tenants.services import person_get_or_create
from tests.district_admin.conftest import non_admin_clients, refused
from tests.helpers import PASSWORD, TOTP_SECRET, HostClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(world):
    """An SI post in a Vaishali thana (where the officer is proposed) and one in a Muzaffarpur
    thana (where they work now)."""
    with district_context(world.vaishali.schema_name):
        thana = core_services.office_create(code="t-tr-thana", name="Thana Transfer", kind=Office.Kind.THANA)
        vaishali_post = core_services.post_create(
            office=thana, code="t-tr-si", title="SI Transfer", kind=Post.Kind.SI
        )
    with district_context(world.muzaffarpur.schema_name):
        thana = core_services.office_create(code="t-tr-muz", name="Muz Transfer", kind=Office.Kind.THANA)
        muzaffarpur_post = core_services.post_create(
            office=thana, code="t-tr-muz-si", title="SI Muz", kind=Post.Kind.SI
        )
    return {"vaishali": vaishali_post, "muzaffarpur": muzaffarpur_post}


@pytest.fixture
def mover(world, posts):
    """An officer of Muzaffarpur with a password, an authenticator and no e-mail address."""
    person, _ = person_get_or_create(
        login_id="t.tr.mover", full_name="Mover", password=PASSWORD, must_set_password=False
    )
    User.objects.filter(pk=person.pk).update(service_number="BR-TR-0001", email="")
    person.refresh_from_db()
    TOTP.activate(person, TOTP_SECRET)
    with district_context(world.muzaffarpur.schema_name):
        core_services.posting_start(
            person=person, post=posts["muzaffarpur"], starts_on=datetime.date(2024, 1, 1)
        )
    return person


@pytest.fixture
def muzaffarpur_admin(world, db):
    """Muzaffarpur's admin, signed in on Muzaffarpur's host (admins need an authenticator)."""
    TOTP.activate(User.objects.get(login_id="muzaffarpur.admin"), TOTP_SECRET)
    client = HostClient("muzaffarpur")
    assert client.sign_in("muzaffarpur.admin").status_code == 302
    return client


def _form(post: Post, **values) -> dict:
    data = {
        "login_id": "t.tr.mover",
        "full_name": "Mover Taken",
        "full_name_hi": "",
        "rank": "SI",
        "service_number": "BR-TR-0001",
        "mobile": "9876543210",
        "email": "taken.over@example.org",
        "post": post.pk,
    }
    data.update(values)
    return data


def _muzaffarpur(world) -> tuple:
    with district_context(world.muzaffarpur.schema_name):
        return (
            list(
                Posting.objects.order_by("pk").values_list(
                    "pk", "person_id", "post_id", "starts_on", "ends_on"
                )
            ),
            list(AuditEvent.objects.order_by("pk").values_list("pk", "hash")),
        )


def _account(person: User) -> tuple:
    person = User.objects.get(pk=person.pk)
    return (
        person.password,
        person.email,
        person.mobile,
        person.rank,
        person.full_name,
        sorted(Authenticator.objects.filter(user=person).values_list("pk", "type")),
    )


def _vaishali_postings(world, person: User) -> list:
    with district_context(world.vaishali.schema_name):
        return list(Posting.objects.filter(person=person).values_list("post_id", "starts_on", "ends_on"))


def _propose(admin_client, posts) -> TransferProposal:
    response = admin_client.post("/admin/officers/new/", _form(posts["vaishali"]))
    assert response.status_code == 302 and response.url == "/admin/transfers/"
    return TransferProposal.objects.get(person__login_id="t.tr.mover")


# --- proposing changes nothing in the other district ----------------------------------------------


def test_vaishalis_admin_adding_a_muzaffarpur_officer_changes_nothing_there_nor_the_account(
    world, posts, mover, admin_client
):
    muzaffarpur_before, account_before = _muzaffarpur(world), _account(mover)
    memberships_before = list(
        DistrictMembership.objects.filter(person=mover).values_list("district", "open_postings")
    )
    response = admin_client.post("/admin/officers/new/", _form(posts["vaishali"]), follow=True)
    assert response.status_code == 200
    assert (
        "t.tr.mover holds a posting in Muzaffarpur, so a transfer has been proposed to Muzaffarpur; "
        "nothing has changed yet." in response.text
    )
    assert _muzaffarpur(world) == muzaffarpur_before
    assert _account(mover) == account_before  # not even the blank e-mail address is filled in
    assert list(DistrictMembership.objects.filter(person=mover).values_list("district", "open_postings")) == (
        memberships_before
    )
    assert _vaishali_postings(world, mover) == []
    proposal = TransferProposal.objects.get(person=mover)
    assert (proposal.from_district, proposal.to_district, proposal.status) == (
        world.muzaffarpur,
        world.vaishali,
        TransferProposal.Status.PENDING,
    )
    assert proposal.to_post_id == posts["vaishali"].pk and proposal.proposed_on == timezone.localdate()
    assert proposal.proposed_by.login_id == "vaishali.admin"
    with district_context(world.vaishali.schema_name):
        event = AuditEvent.objects.get(action="transfer.propose")
        assert event.details["from_district"] == "muzaffarpur" and event.person_login == "vaishali.admin"
    assert "Mover" in response.text and "Muzaffarpur" in response.text  # listed as made by Vaishali
    assert len(mail.outbox) == 0


def test_a_second_proposal_while_one_awaits_a_decision_is_a_field_error(world, posts, mover, admin_client):
    _propose(admin_client, posts)
    response = admin_client.post("/admin/officers/new/", _form(posts["vaishali"]))
    assert response.status_code == 200
    assert "already awaiting the decision of Muzaffarpur" in " ".join(
        response.context["form"].errors["service_number"]
    )
    assert TransferProposal.objects.filter(person=mover).count() == 1


def test_someone_whose_posting_elsewhere_has_ended_is_simply_posted(world, posts, mover, admin_client):
    with district_context(world.muzaffarpur.schema_name):
        core_services.posting_end(
            posting=Posting.objects.get(person=mover), ends_on=datetime.date(2024, 6, 30)
        )
    muzaffarpur_before = _muzaffarpur(world)
    response = admin_client.post("/admin/officers/new/", _form(posts["vaishali"]))
    assert response.status_code == 302 and response.url == f"/admin/officers/{mover.pk}/"
    assert not TransferProposal.objects.filter(person=mover).exists()
    assert [row[0] for row in _vaishali_postings(world, mover)] == [posts["vaishali"].pk]
    assert _muzaffarpur(world) == muzaffarpur_before


# --- deciding ------------------------------------------------------------------------------------


def test_muzaffarpurs_admin_confirms_and_the_move_happens_on_the_agreed_day(
    world, posts, mover, admin_client, muzaffarpur_admin
):
    proposal = _propose(admin_client, posts)
    page = muzaffarpur_admin.get("/admin/transfers/")
    assert page.status_code == 200 and "t.tr.mover" in page.text and "SI Transfer" in page.text
    day = timezone.localdate() + datetime.timedelta(days=3)
    response = muzaffarpur_admin.post(
        f"/admin/transfers/{proposal.pk}/confirm/", {f"{proposal.pk}-moved_on": day.isoformat()}, follow=True
    )
    assert response.status_code == 200 and "Transfer confirmed" in response.text
    proposal.refresh_from_db()
    assert proposal.status == TransferProposal.Status.CONFIRMED and proposal.moved_on == day
    assert proposal.decided_by.login_id == "muzaffarpur.admin"
    with district_context(world.muzaffarpur.schema_name):
        old = Posting.objects.get(person=mover)
        assert old.ends_on == day
        ended = AuditEvent.objects.get(action="posting.end", target_id=str(old.pk))
        assert ended.person_login == "muzaffarpur.admin"
        assert AuditEvent.objects.get(action="transfer.confirm").details["to_district"] == "vaishali"
        assert audit_verify().bad_event_id is None
    assert _vaishali_postings(world, mover) == [(posts["vaishali"].pk, day, None)]
    with district_context(world.vaishali.schema_name):
        posting = Posting.objects.get(person=mover)
        started = AuditEvent.objects.get(action="posting.start", target_id=str(posting.pk))
        assert started.person_login == "muzaffarpur.admin" and started.post_id is None
        transfer = AuditEvent.objects.get(action="officer.transfer")
        assert transfer.details["old_districts"] == ["muzaffarpur"]
        assert transfer.details["proposed_by"] == "vaishali.admin"
        assert audit_verify().bad_event_id is None
    assert Authenticator.objects.filter(user=mover, type=Authenticator.Type.TOTP).exists()
    assert DistrictMembership.objects.get(person=mover, district=world.vaishali).open_postings == 1
    # Decided once: a second confirmation finds nothing to decide.
    again = muzaffarpur_admin.post(
        f"/admin/transfers/{proposal.pk}/confirm/", {f"{proposal.pk}-moved_on": day}
    )
    assert again.status_code == 404


def test_a_date_in_the_past_is_refused_and_changes_nothing(
    world, posts, mover, admin_client, muzaffarpur_admin
):
    proposal = _propose(admin_client, posts)
    before = _muzaffarpur(world)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = muzaffarpur_admin.post(
        f"/admin/transfers/{proposal.pk}/confirm/",
        {f"{proposal.pk}-moved_on": yesterday.isoformat()},
        follow=True,
    )
    assert "Give a date from today to a year from today." in response.text
    assert _muzaffarpur(world) == before and _vaishali_postings(world, mover) == []
    assert TransferProposal.objects.get(pk=proposal.pk).status == TransferProposal.Status.PENDING


def test_a_post_taken_meanwhile_refuses_the_confirmation_whole(
    world, posts, mover, admin_client, muzaffarpur_admin
):
    proposal = _propose(admin_client, posts)
    with district_context(world.vaishali.schema_name):
        core_services.posting_start(person=world.vaishali_clerk, post=posts["vaishali"])
    before = _muzaffarpur(world)
    response = muzaffarpur_admin.post(
        f"/admin/transfers/{proposal.pk}/confirm/",
        {f"{proposal.pk}-moved_on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "cannot take them on that date" in response.text
    assert "clerk.vaishali" not in response.text  # Vaishali's register is not shown to Muzaffarpur
    assert _muzaffarpur(world) == before and _vaishali_postings(world, mover) == []
    assert TransferProposal.objects.get(pk=proposal.pk).status == TransferProposal.Status.PENDING


def test_decline_changes_nothing_but_the_proposal(world, posts, mover, admin_client, muzaffarpur_admin):
    proposal = _propose(admin_client, posts)
    postings_before, account_before = _muzaffarpur(world)[0], _account(mover)
    response = muzaffarpur_admin.post(
        f"/admin/transfers/{proposal.pk}/decline/", {"remarks": "needed here for the elections"}, follow=True
    )
    assert "Transfer declined" in response.text
    proposal.refresh_from_db()
    assert proposal.status == TransferProposal.Status.DECLINED
    assert proposal.remarks == "needed here for the elections"
    assert _muzaffarpur(world)[0] == postings_before and _account(mover) == account_before
    assert _vaishali_postings(world, mover) == []
    with district_context(world.muzaffarpur.schema_name):
        assert AuditEvent.objects.get(action="transfer.decline").person_login == "muzaffarpur.admin"
    shown = admin_client.get("/admin/transfers/")
    assert "needed here for the elections" in shown.text


def test_vaishalis_admin_cannot_decide_its_own_proposal(world, posts, mover, admin_client):
    proposal = _propose(admin_client, posts)
    before = _muzaffarpur(world)
    today = timezone.localdate().isoformat()
    assert (
        admin_client.post(
            f"/admin/transfers/{proposal.pk}/confirm/", {f"{proposal.pk}-moved_on": today}
        ).status_code
        == 404
    )
    assert admin_client.post(f"/admin/transfers/{proposal.pk}/decline/", {"remarks": "x"}).status_code == 404
    admin = User.objects.get(login_id="vaishali.admin")
    with district_context(world.vaishali.schema_name), pytest.raises(PermissionDenied):
        transfer_confirm(actor=Actor(person=admin), proposal_id=proposal.pk, moved_on=timezone.localdate())
    # Nor from Muzaffarpur's side of the code: the proposer never decides their own proposal.
    with district_context(world.muzaffarpur.schema_name), pytest.raises(PermissionDenied):
        transfer_confirm(actor=Actor(person=admin), proposal_id=proposal.pk, moved_on=timezone.localdate())
    assert _muzaffarpur(world) == before and _vaishali_postings(world, mover) == []
    assert TransferProposal.objects.get(pk=proposal.pk).status == TransferProposal.Status.PENDING
    assert "Confirm the transfer" not in admin_client.get("/admin/transfers/").text


def test_nobody_else_sees_or_decides_a_proposal(world, posts, mover, admin_client):
    proposal = _propose(admin_client, posts)
    before = _muzaffarpur(world)
    today = timezone.localdate().isoformat()
    muzaffarpur_clients = {}
    for login in ("sdpo.east", "vaishali.admin", "no.posting", None):
        client = HostClient("muzaffarpur")
        if login:
            client.sign_in(login)
        muzaffarpur_clients[login or "anonymous"] = client
    for who, client in [*muzaffarpur_clients.items(), *non_admin_clients().items()]:
        assert refused(client.get("/admin/transfers/")), who
        assert refused(
            client.post(f"/admin/transfers/{proposal.pk}/confirm/", {f"{proposal.pk}-moved_on": today})
        ), who
        assert refused(client.post(f"/admin/transfers/{proposal.pk}/decline/", {"remarks": "no"})), who
    assert _muzaffarpur(world) == before and _vaishali_postings(world, mover) == []
    assert TransferProposal.objects.get(pk=proposal.pk).status == TransferProposal.Status.PENDING


def test_another_districts_list_does_not_show_the_proposal(world, posts, mover, admin_client):
    """Vaishali sees it as made by Vaishali, never among those to decide; an id that is not
    Vaishali's to decide is a 404 there."""
    proposal = _propose(admin_client, posts)
    page = admin_client.get("/admin/transfers/")
    assert "No transfer of your officers is awaiting a decision." in page.text
    assert admin_client.post(f"/admin/transfers/{proposal.pk + 1000}/decline/").status_code == 404


# --- credentials stay the person's own -------------------------------------------------------------


def test_reset_access_by_vaishali_keeps_a_muzaffarpur_officers_totp_and_password(
    world, posts, mover, admin_client, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=mover.pk).update(email="t.tr.mover@example.org")
    with district_context(world.vaishali.schema_name):
        core_services.posting_start(person=mover, post=posts["vaishali"])
    account_before = _account(mover)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/officers/{mover.pk}/reset/", follow=True)
    assert "also holds a posting in another district" in response.text
    assert _account(mover) == account_before
    assert Authenticator.objects.filter(user=mover, type=Authenticator.Type.TOTP).exists()
    assert len(mail.outbox) == 0
    with district_context(world.vaishali.schema_name):
        assert not AuditEvent.objects.filter(action="officer.access_reset").exists()


def test_reset_access_after_the_move_is_vaishalis_to_make(
    world, posts, mover, admin_client, muzaffarpur_admin, django_capture_on_commit_callbacks
):
    """Once the posting in Muzaffarpur has ended, the officer is Vaishali's alone: reset works."""
    User.objects.filter(pk=mover.pk).update(email="t.tr.mover@example.org")
    proposal = _propose(admin_client, posts)
    today = timezone.localdate()
    muzaffarpur_admin.post(
        f"/admin/transfers/{proposal.pk}/confirm/", {f"{proposal.pk}-moved_on": today.isoformat()}
    )
    with district_context(world.muzaffarpur.schema_name):
        Posting.objects.filter(person=mover).update(ends_on=today - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/officers/{mover.pk}/reset/")
    assert not Authenticator.objects.filter(user=mover).exists()
    assert len(mail.outbox) == 1
