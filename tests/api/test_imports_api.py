"""The officer import through the state API (issue 20, point 3): upload for a dry run, report,
run; the console's form, services and audit events; platform staff only."""

import io

from state_admin.models import AuditEvent, ImportJob
from tenants.models import User
from tests.state_admin.test_officer_import import csv_bytes, media, officer, places  # noqa: F401


def _file(data: bytes, name="officers.csv"):
    file = io.BytesIO(data)
    file.name = name
    return file


def test_staff_upload_for_a_dry_run_read_the_report_and_run_it(places, token_for, api_client):
    staff = api_client(None, token_for(places.staff, None, scope="read-write"))
    data = csv_bytes([officer(1), officer(2), officer(3, office="nowhere")])
    made = staff.post("/api/v1/imports/", {"file": _file(data), "district": "vaishali"})
    assert made.status_code == 201, made.content
    report = made.json()
    job = report["job"]
    assert (job["total_rows"], job["valid_rows"], job["district_slug"]) == (3, 2, "vaishali")
    assert {error["row"] for error in report["errors"]} == {4} and report["can_run"] is True
    assert report["counts"]["new_accounts"] == 2
    assert not User.objects.filter(login_id__startswith="officer.").exists()  # a dry run
    assert AuditEvent.objects.filter(action="officer_import.preview").exists()

    listed = staff.get("/api/v1/imports/").json()
    assert [j["id"] for j in listed["results"]] == [job["id"]] and listed["next"] is None
    assert staff.get(f"/api/v1/imports/{job['id']}/").json()["job"]["sha256"] == job["sha256"]

    run = staff.post_json(f"/api/v1/imports/{job['id']}/run/")
    assert run.status_code == 202, run.content
    assert run.json()["job"]["status"] == ImportJob.Status.QUEUED
    assert staff.post_json(f"/api/v1/imports/{job['id']}/run/").status_code == 400  # queued once

    bad = staff.post("/api/v1/imports/", {"file": _file(b"\x00\x01junk", "x.csv"), "district": "vaishali"})
    assert bad.status_code == 400 and "file" in bad.json()["fields"]
    assert ImportJob.objects.count() == 1


def test_nobody_but_staff_with_a_write_token_imports(places, token_for, api_client):
    data = csv_bytes([officer(1)])
    for client in (
        api_client(None, token_for(places.staff, None, scope="read")),
        api_client(None, token_for(places.vaishali_officer, "vaishali")),
        api_client("vaishali", token_for(places.staff, None)),
        api_client(None),
    ):
        response = client.post("/api/v1/imports/", {"file": _file(data), "district": "vaishali"})
        assert response.status_code in (401, 403, 404), response.status_code
    assert not ImportJob.objects.exists()
    officer_token = api_client(None, token_for(places.vaishali_officer, "vaishali"))
    assert officer_token.get("/api/v1/imports/").status_code in (401, 403)
