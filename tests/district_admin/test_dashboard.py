"""The district dashboard and the printable rollout report: figures on known data, admins only,
and nothing from another district."""

import datetime

import pytest
from django.utils import timezone

from core.base.audit import Actor
from core.models import ActiveDay, Office, Post, TrainingInvite, TrainingSession
from core.org import services
from core.org.selectors.adoption import office_weekly_adoption, week_start
from core.org.services.readiness import readiness_item_record
from tenants.context import district_context
from tenants.models import User
from tenants.services import person_get_or_create
from tests.district_admin.conftest import non_admin_clients, refused
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db

PHASE = 9  # no other office of the test world is in this phase
REASON = "Ordered by the SP for the election duty"


def _in(world):
    return district_context(world.vaishali.schema_name)


def _known_data(world):
    """Four offices of phase 9, one per status; the live one went live 14 days ago, has two
    officers (one trained), and three sign-in days in its last two weeks."""
    today = timezone.localdate()
    admin = User.objects.get(login_id="vaishali.admin")
    with _in(world):
        offices = {
            status: services.office_create(
                code=f"t-db-{status}",
                name=f"Dash {status} office",
                kind=Office.Kind.THANA,
                phase=PHASE,
                status=status,
            )
            for status in ("live", "preparing", "planned", "closed")
        }
        live = offices["live"]
        people = []
        for i in range(2):
            person, _ = person_get_or_create(
                login_id=f"t-db.officer{i}", full_name=f"Dash Officer {i}", password=PASSWORD
            )
            post = services.post_create(office=live, code=f"t-db-post{i}", title=f"SI {i}", kind=Post.Kind.SI)
            services.posting_start(person=person, post=post)
            people.append(person)
        Office.objects.filter(pk=live.pk).update(status="planned")
        readiness_item_record(
            actor=Actor(person=admin), office=live, item="computers", values={"needed": 2, "installed": 2}
        )
        readiness_item_record(
            actor=Actor(person=admin), office=offices["preparing"], item="scanner", values={"available": True}
        )
        live = services.office_go_live(
            actor=Actor(person=admin),
            office=live,
            override_reason=REASON,
            on=today - datetime.timedelta(days=14),
        )
        session = TrainingSession.objects.create(held_on=today, trainer="NIC", online=True)
        TrainingInvite.objects.create(session=session, person=people[0], attended=True)
        TrainingInvite.objects.create(session=session, person=people[1], attended=False)
        ActiveDay.objects.create(person=people[0], day=today)
        if today.weekday() > 0:
            ActiveDay.objects.create(person=people[0], day=today - datetime.timedelta(days=1))
        ActiveDay.objects.create(person=people[1], day=today)
        ActiveDay.objects.create(person=people[0], day=today - datetime.timedelta(days=7))
        ActiveDay.objects.get_or_create(person=admin, day=today)  # posted elsewhere: not this office's
    offices["live"] = live
    return offices, people


def test_weekly_adoption_per_office_counts_distinct_officers_posted_there(world):
    offices, _people = _known_data(world)
    today = timezone.localdate()
    weeks = [week_start(today) - datetime.timedelta(weeks=n) for n in (2, 1, 0)]
    with _in(world):
        figures = office_weekly_adoption(office_ids=[offices["live"].pk, offices["planned"].pk], weeks=weeks)
    assert [row["active_officers"] for row in figures[offices["live"].pk]] == [0, 1, 2]
    assert all(row["files_moved"] == 0 and row["dak_diarised"] == 0 for row in figures[offices["live"].pk])
    assert [row["active_officers"] for row in figures[offices["planned"].pk]] == [0, 0, 0]


def test_dashboard_shows_known_figures(world, admin_client):
    offices, _people = _known_data(world)
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    ctx = response.context
    assert (PHASE, [1, 1, 1, 1]) in ctx["by_phase"]
    gaps = {row["office"].pk: row["gaps"] for row in ctx["gaps"]}
    assert offices["planned"].pk in gaps and len(gaps[offices["planned"].pk]) == 6
    assert "scanner" not in gaps[offices["preparing"].pk] and len(gaps[offices["preparing"].pk]) == 5
    assert offices["live"].pk not in gaps and offices["closed"].pk not in gaps
    covered = {office.pk: cov for office, cov in ctx["covered"]}
    assert (covered[offices["live"].pk].postings, covered[offices["live"].pk].share) == (2, 50)
    adoption = next(a for a in ctx["adoption"] if a["office"].pk == offices["live"].pk)
    assert [row["active_officers"] for row in adoption["rows"]] == [0, 1, 2]
    assert adoption["totals"]["active_officers"] == 3 and adoption["totals"]["documents_uploaded"] == 0
    text = response.text
    assert 'id="offices-phase"' in text and 'id="readiness-gaps"' in text and 'id="training-coverage"' in text
    assert f'id="adoption-{offices["live"].pk}"' in text
    assert "Dash preparing office" in text and "SP Office Vaishali" in text
    assert "not counted yet" not in text  # the e-File registers its dak, file and upload counters
    # Charts are drawn on the server: no script of the page's own (only the site-wide static file).
    site_wide = (
        '<script src="/static/karyalay.js" defer>',
        '<script src="/static/offline/offline.js" defer>',
    )
    assert text.count("<script") == sum(text.count(tag) for tag in site_wide) == 2


def test_report_renders_the_offices_rollout(world, admin_client):
    offices, _people = _known_data(world)
    response = admin_client.get(f"/admin/offices/{offices['live'].pk}/report/")
    assert response.status_code == 200
    text = response.text
    assert "Dash live office" in text and "t-db-live" in text
    assert REASON in text
    went = offices["live"].went_live_on
    assert response.context["office"].went_live_on == went
    checklist = {entry["item"]: entry for entry in response.context["checklist"]}
    assert (
        checklist["computers"]["done"] and checklist["computers"]["confirmed_by"].login_id == "vaishali.admin"
    )
    assert "2 of 2 installed" in text and "Vaishali Admin" in text
    assert "50% trained: 1 of 2 postings" in text
    assert [row["active_officers"] for row in response.context["adoption"]["rows"]] == [0, 1, 2]
    assert "data-print" in text and 'class="da-report"' in text
    planned = admin_client.get(f"/admin/offices/{offices['planned'].pk}/report/")
    assert planned.status_code == 200 and "Not live yet." in planned.text
    assert admin_client.get("/admin/offices/999999999/report/").status_code == 404


def test_non_admins_are_refused(world, db):
    with _in(world):
        office = services.office_create(code="t-db-any", name="Any", kind=Office.Kind.THANA)
    for who, client in non_admin_clients().items():
        assert refused(client.get("/admin/")), who
        assert refused(client.get(f"/admin/offices/{office.pk}/report/")), who


def test_muzaffarpurs_offices_never_appear(world, admin_client):
    with district_context(world.muzaffarpur.schema_name):
        other = services.office_create(
            code="t-db-kanti", name="Kanti Thana", kind=Office.Kind.THANA, phase=PHASE
        )
    response = admin_client.get("/admin/")
    assert "Kanti Thana" not in response.text
    assert all(office.code != "t-db-kanti" for office in response.context["offices"])
    report = admin_client.get(f"/admin/offices/{other.pk}/report/")
    assert "Kanti Thana" not in report.text


def test_in_hindi_offices_are_named_in_hindi(world, admin_client):
    with _in(world):
        office = services.office_create(
            code="t-db-hi", name="Bidupur Thana", name_hi="बिदुपुर थाना", kind=Office.Kind.THANA, phase=PHASE
        )
    admin_client.cookies["karyalay_language"] = "hi"
    for url in (
        "/admin/",
        f"/admin/offices/{office.pk}/report/",
        "/admin/readiness/",
        f"/admin/offices/{office.pk}/readiness/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200 and "बिदुपुर थाना" in response.text, url
