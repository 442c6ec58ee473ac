"""Training: sessions, invitations by office or by name, attendance, trained status per officer,
and the share trained that feeds the readiness checklist's staff-trained item."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.base.audit import Actor
from core.models import AuditEvent, Office, Post, ReadinessItem, TrainingInvite, TrainingSession
from core.org import services
from core.org.selectors.training import office_training_coverage
from core.org.services.readiness import readiness_item_record
from core.org.services.training import training_invite
from tenants.context import district_context
from tenants.models import User
from tenants.services import person_get_or_create
from tests.district_admin.conftest import non_admin_clients, refused
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


def _in(world):
    return district_context(world.vaishali.schema_name)


def _thana_with_staff(world, code="t-tr-thana", n=2):
    """A thana with ``n`` posts, each held by a new officer."""
    people = []
    with _in(world):
        office = services.office_create(code=code, name=f"Thana {code}", kind=Office.Kind.THANA, phase=3)
        for i in range(n):
            person, _ = person_get_or_create(
                login_id=f"{code}.officer{i}", full_name=f"Officer {i} {code}", password=PASSWORD
            )
            post = services.post_create(
                office=office, code=f"{code}-post{i}", title=f"SI {i}", kind=Post.Kind.SI
            )
            services.posting_start(person=person, post=post)
            people.append(person)
    return office, people


def _session(world, admin_client, **extra):
    data = {
        "held_on": "2026-02-03",
        "place": "Police Centre Hajipur",
        "trainer": "NIC Patna",
        "topics": "e-File",
    }
    response = admin_client.post("/admin/training/new/", {**data, **extra})
    assert response.status_code == 302, response.content[:800]
    with _in(world):
        return TrainingSession.objects.latest("id")


def _snapshot(world):
    with _in(world):
        return (
            list(TrainingSession.objects.values_list("id", "held_on", "place", "trainer", "topics")),
            list(TrainingInvite.objects.values_list("id", "person_id", "attended")),
            AuditEvent.objects.count(),
        )


def test_admin_creates_and_edits_a_session(world, admin_client):
    assert admin_client.get("/admin/training/new/").status_code == 200
    session = _session(world, admin_client)
    assert session.trainer == "NIC Patna" and session.held_on == datetime.date(2026, 2, 3)
    page = admin_client.get(f"/admin/training/{session.pk}/")
    assert page.status_code == 200 and "Police Centre Hajipur" in page.text
    assert "NIC Patna" in admin_client.get("/admin/training/").text
    assert admin_client.get(f"/admin/training/{session.pk}/edit/").status_code == 200
    response = admin_client.post(
        f"/admin/training/{session.pk}/edit/",
        {"held_on": "2026-02-04", "online": "on", "trainer": "NIC Patna"},
    )
    assert response.status_code == 302
    with _in(world):
        session.refresh_from_db()
        assert session.online and session.place == "" and session.held_on == datetime.date(2026, 2, 4)
        assert AuditEvent.objects.filter(action="training.create", target_id=str(session.pk)).exists()
        assert AuditEvent.objects.filter(action="training.edit", target_id=str(session.pk)).exists()


def test_a_session_needs_a_place_or_online_and_a_trainer(world, admin_client):
    before = _snapshot(world)
    response = admin_client.post("/admin/training/new/", {"held_on": "2026-02-03", "trainer": "  "})
    assert response.status_code == 200
    assert "Give the place, or mark the session as online." in response.text
    assert response.context["form"].errors["trainer"]
    assert _snapshot(world) == before


def test_invite_by_office_and_by_name_then_attendance_makes_officers_trained(world, admin_client):
    office, (first, second) = _thana_with_staff(world)
    session = _session(world, admin_client)
    response = admin_client.post(f"/admin/training/{session.pk}/invite/", {"office": office.pk})
    assert response.status_code == 302
    clerk = User.objects.get(login_id="clerk.vaishali")
    admin_client.post(f"/admin/training/{session.pk}/invite/", {"people": [clerk.pk, first.pk]})
    with _in(world):
        invites = {i.person_id: i for i in TrainingInvite.objects.filter(session=session)}
        assert set(invites) == {first.pk, second.pk, clerk.pk}
        assert AuditEvent.objects.filter(action="training.invite", target_id=str(session.pk)).count() == 2
        assert office_training_coverage([office.pk])[office.pk].share == 0

    page = admin_client.get(f"/admin/training/{session.pk}/")
    assert first.full_name in page.text and office.name in page.text
    marks = {f"invite-{invites[first.pk].pk}": "yes", f"invite-{invites[second.pk].pk}": "no"}
    assert admin_client.post(f"/admin/training/{session.pk}/attendance/", marks).status_code == 302
    with _in(world):
        coverage = office_training_coverage([office.pk])[office.pk]
        assert (coverage.postings, coverage.trained, coverage.share) == (2, 1, 50)
        assert AuditEvent.objects.filter(action="training.attendance").exists()
        assert TrainingInvite.objects.get(pk=invites[clerk.pk].pk).attended is None

    officers = admin_client.get("/admin/training/officers/")
    assert officers.status_code == 200
    status = {entry.person.pk: entry.trained for entry in officers.context["people"]}
    assert status[first.pk] is True and status[second.pk] is False

    # Staff trained on the checklist: 50 % is recorded but not done; 100 % and confirmed is done.
    admin_client.post(f"/admin/offices/{office.pk}/readiness/training/", {})
    with _in(world):
        row = ReadinessItem.objects.get(office=office, item="training")
        assert not row.done and row.details == {"postings": 2, "trained": 1, "share": 50}
    marks[f"invite-{invites[second.pk].pk}"] = "yes"
    admin_client.post(f"/admin/training/{session.pk}/attendance/", marks)
    with _in(world):
        assert not ReadinessItem.objects.get(office=office, item="training").done  # not yet confirmed
    page = admin_client.get(f"/admin/offices/{office.pk}/readiness/")
    assert "Now: 100% trained (2 of 2 postings)" in page.text
    admin_client.post(f"/admin/offices/{office.pk}/readiness/training/", {"training-note": "all present"})
    with _in(world):
        row = ReadinessItem.objects.get(office=office, item="training")
        assert row.done and row.details["share"] == 100 and row.note == "all present"


def test_only_people_posted_here_can_be_invited(world):
    with _in(world):
        session = TrainingSession.objects.create(
            held_on=datetime.date(2026, 1, 5), trainer="NIC", online=True
        )
        admin = User.objects.get(login_id="vaishali.admin")
        with pytest.raises(ValidationError) as caught:
            training_invite(actor=Actor(person=admin), session=session, people=[world.unposted, admin])
        assert "people" in caught.value.error_dict and "no.posting" in str(caught.value)
        assert not TrainingInvite.objects.filter(session=session).exists()
        with pytest.raises(ValidationError):
            training_invite(actor=Actor(person=admin), session=session, people=[])


def test_invite_form_refuses_an_empty_choice(world, admin_client):
    session = _session(world, admin_client)
    before = _snapshot(world)
    response = admin_client.post(f"/admin/training/{session.pk}/invite/", {})
    assert response.status_code == 200 and "Choose an office or at least one officer." in response.text
    assert _snapshot(world) == before


def test_an_office_with_no_one_posted_is_not_trained(world):
    with _in(world):
        office = services.office_create(code="t-tr-empty", name="Empty", kind=Office.Kind.THANA)
        coverage = office_training_coverage([office.pk])[office.pk]
        assert coverage.share is None and not coverage.complete
        row = readiness_item_record(
            actor=Actor(person=User.objects.get(login_id="vaishali.admin")), office=office, item="training"
        )
        assert not row.done


def test_non_admins_are_refused_and_their_posts_change_nothing(world, admin_client):
    office, (first, _second) = _thana_with_staff(world)
    session = _session(world, admin_client)
    admin_client.post(f"/admin/training/{session.pk}/invite/", {"office": office.pk})
    with _in(world):
        invite = TrainingInvite.objects.get(session=session, person=first)
    before = _snapshot(world)
    for who, client in non_admin_clients().items():
        for url in ("/admin/training/", "/admin/training/new/", "/admin/training/officers/"):
            assert refused(client.get(url)), (who, url)
        for tail in ("", "edit/"):
            assert refused(client.get(f"/admin/training/{session.pk}/{tail}")), who
        assert refused(
            client.post("/admin/training/new/", {"held_on": "2026-03-01", "online": "on", "trainer": "X"})
        )
        assert refused(
            client.post(f"/admin/training/{session.pk}/edit/", {"held_on": "2026-03-01", "trainer": "X"})
        )
        assert refused(client.post(f"/admin/training/{session.pk}/invite/", {"office": office.pk}))
        assert refused(
            client.post(f"/admin/training/{session.pk}/attendance/", {f"invite-{invite.pk}": "yes"})
        )
    assert _snapshot(world) == before
