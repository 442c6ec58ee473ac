"""The platform audit log: searchable, filterable, exportable as CSV, for platform staff only."""

import csv
import io
import json

import pytest
from django.db import transaction

from state_admin.models import AuditEvent
from state_admin.services.audit import StaffActor, audit_record
from tests.state_admin.conftest import non_staff_clients, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(world):
    actor = StaffActor(user=world.staff, ip="10.9.8.7", user_agent="test")
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="district.suspend",
            district=world.vaishali,
            target="Vaishali",
            details={"reason": "बाढ़"},
        )
        audit_record(actor=actor, action="range.create", target="Saran")
        audit_record(actor=None, action="rollout.go_live", district=world.muzaffarpur, target="SDPO East")


def test_only_platform_staff_see_and_export_the_log(world, events):
    for who, client in non_staff_clients().items():
        assert refused(client.get("/audit/")), who
        assert refused(client.get("/audit/export.csv")), who
    assert not AuditEvent.objects.filter(action="audit.export").exists()


def test_log_lists_who_what_where_and_filters(staff_client, events):
    text = staff_client.get("/audit/").text
    assert "district.suspend" in text and "10.9.8.7" in text and "system" in text
    by_district = staff_client.get("/audit/", {"district": "vaishali"}).context["page"]
    assert [e.action for e in by_district] == ["district.suspend"]
    by_text = staff_client.get("/audit/", {"q": "बाढ़"}).context["page"]
    assert [e.action for e in by_text] == ["district.suspend"]
    by_action = staff_client.get("/audit/", {"action": "range."}).context["page"]
    assert [e.target for e in by_action] == ["Saran"]
    bad = staff_client.get("/audit/", {"since": "2026-12-01", "until": "2026-01-01"})
    assert bad.status_code == 200 and "before the start date" in bad.text


def test_csv_export_has_the_filtered_rows_in_utf8_and_is_itself_audited(staff_client, events):
    response = staff_client.get("/audit/export.csv", {"district": "vaishali"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:3] == ["When (UTC)", "Login ID", "Action"]
    assert [row[2] for row in rows[1:]] == ["district.suspend"]
    assert json.loads(rows[1][7]) == {"reason": "बाढ़"}


def test_csv_export_never_hands_a_spreadsheet_a_formula(staff_client, world):
    with transaction.atomic():
        audit_record(
            actor=StaffActor(user=world.staff, user_agent="=HYPERLINK(1)"),
            action="range.create",
            target="=cmd|' /C calc'!A0",
        )
    body = b"".join(staff_client.get("/audit/export.csv", {"action": "range."}).streaming_content).decode()
    row = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))[1]
    assert row[4] == "'=cmd|' /C calc'!A0" and row[6] == "'=HYPERLINK(1)"
    assert AuditEvent.objects.filter(action="audit.export", actor_login="state.staff").exists()
