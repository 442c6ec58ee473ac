"""The district admin's view of the district's audit trail."""

import pytest
from django.db import connection, transaction

from core.base.audit import Actor, audit_append
from core.models import AuditEvent
from tenants.context import district_context
from tests.district_admin.conftest import non_admin_clients, refused
from tests.helpers import HostClient

pytestmark = pytest.mark.django_db


def _events(world):
    with district_context(world.vaishali.schema_name), transaction.atomic():
        audit_append(
            actor=Actor(person=world.vaishali_officer, ip="10.1.2.3"),
            action="office.create",
            target_type="office",
            target_id="1",
            summary="Mahua Thana · महुआ थाना",
        )
        audit_append(
            actor=None, action="posting.end", target_type="posting", target_id="7", summary="Posting ended"
        )
    with district_context(world.muzaffarpur.schema_name), transaction.atomic():
        audit_append(
            actor=None,
            action="office.create",
            target_type="office",
            target_id="9",
            summary="Muzaffarpur only",
        )
    connection.set_schema_to_public()


def test_only_the_district_admin_reads_the_trail(world):
    _events(world)
    for who, client in non_admin_clients().items():
        assert refused(client.get("/admin/audit/")), who
        assert refused(client.get("/admin/audit/verify/")), who


def test_trail_lists_this_districts_events_newest_first_with_filters(world, admin_client):
    _events(world)
    page = admin_client.get("/admin/audit/")
    assert page.status_code == 200
    assert "महुआ थाना" in page.text and "10.1.2.3" in page.text and "Muzaffarpur only" not in page.text
    actions = [e.action for e in page.context["page"]]
    assert actions.index("posting.end") < actions.index("office.create")
    only_offices = admin_client.get("/admin/audit/", {"action": "office."}).context["page"]
    assert {e.action for e in only_offices} == {"office.create"}
    by_person = admin_client.get("/admin/audit/", {"person": "sdpo.mahua"}).context["page"]
    assert [e.summary for e in by_person] == ["Mahua Thana · महुआ थाना"]
    assert list(admin_client.get("/admin/audit/", {"person": "nobody.here"}).context["page"]) == []
    bad = admin_client.get("/admin/audit/", {"since": "2026-12-01", "until": "2026-01-01"})
    assert bad.status_code == 200 and "before the start date" in bad.text


def test_chain_check_says_whether_the_trail_holds(world, admin_client):
    _events(world)
    ok = admin_client.get("/admin/audit/verify/")
    assert ok.status_code == 200 and ok.context["chain"].ok and "The chain holds" in ok.text
    with district_context(world.vaishali.schema_name):
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        edited = AuditEvent.objects.order_by("id").first()
        AuditEvent.objects.filter(pk=edited.pk).update(summary="rewritten")
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")
    connection.set_schema_to_public()
    broken = admin_client.get("/admin/audit/verify/")
    assert broken.context["chain"].bad_event_id == edited.pk
    assert f"broken at event {edited.pk}" in broken.text


def test_admin_pages_share_one_navigation_and_the_desk_links_to_them(world, admin_client):
    page = admin_client.get("/admin/audit/").text
    for path in ("/admin/", "/admin/offices/", "/admin/officers/", "/admin/readiness/", "/admin/training/"):
        assert f'href="{path}"' in page, path
    assert 'href="/admin/"' in admin_client.get("/").text
    officer = HostClient("vaishali")
    officer.sign_in("clerk.vaishali")
    assert 'href="/admin/"' not in officer.get("/").text


def test_an_admin_page_reads_the_admins_postings_once(world, admin_client):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get("/admin/audit/").status_code == 200
    posting_reads = [q for q in queries.captured_queries if 'FROM "core_posting"' in q["sql"]]
    assert len(posting_reads) == 1, [q["sql"] for q in posting_reads]


def test_the_last_possible_end_date_is_not_an_error(world, admin_client):
    assert admin_client.get("/admin/audit/", {"until": "9999-12-31"}).status_code == 200


def test_post_only_admin_actions_do_not_reveal_themselves_to_others(world):
    from core.models import Office, TrainingSession

    with district_context(world.vaishali.schema_name):
        office = Office.objects.get(code="sp-office")
        session = TrainingSession.objects.create(held_on="2026-01-05", trainer="NIC", place="Hajipur")
    connection.set_schema_to_public()
    urls = [
        f"/admin/offices/{office.pk}/go-live/",
        f"/admin/offices/{office.pk}/readiness/computers/",
        f"/admin/training/{session.pk}/invite/",
    ]
    for who, client in non_admin_clients().items():
        for url in urls:
            response = client.get(url)
            assert response.status_code != 405 and refused(response), (who, url, response.status_code)
