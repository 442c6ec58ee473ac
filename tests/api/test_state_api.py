"""The state API: platform staff only (their session or their token), the console's selectors
and lifecycle services; officers and district tokens get nothing."""

import pytest


def test_staff_token_lists_districts_and_reads_one(world, token_for, api_client):
    client = api_client(None, token_for(world.staff, None, scope="read"))
    slugs = [d["slug"] for d in client.get("/api/v1/districts/").json()]
    assert {"vaishali", "muzaffarpur"} <= set(slugs)
    one = client.get("/api/v1/districts/vaishali/").json()
    assert one["status"] == "live" and "suspend" in one["actions"]
    assert client.get("/api/v1/districts/nowhere/").status_code == 404
    figures = client.get("/api/v1/dashboard/").json()
    assert figures["districts_total"] >= 2


def test_read_token_cannot_suspend(world, token_for, api_client):
    client = api_client(None, token_for(world.staff, None, scope="read"))
    response = client.post_json("/api/v1/districts/vaishali/suspend/", {"reason": "x", "confirm": True})
    assert response.status_code == 403


def test_suspend_needs_reason_and_confirmation_and_resume_of_a_live_district_is_refused(
    world, token_for, api_client
):
    client = api_client(None, token_for(world.staff, None, scope="read-write"))
    for bad in ({}, {"reason": "  "}, {"reason": "drill"}):
        response = client.post_json("/api/v1/districts/vaishali/suspend/", bad)
        assert response.status_code == 400 and response.json()["code"] == "invalid", bad
    response = client.post_json("/api/v1/districts/vaishali/resume/", {"reason": "drill"})
    assert response.status_code == 400
    assert client.get("/api/v1/districts/vaishali/").json()["status"] == "live"


def test_officers_get_nothing_from_the_state_api(world, ef, token_for, api_client):
    officer_session = api_client(None)
    officer_session.sign_in(ef.people["clerk"].login_id)
    for client in (
        officer_session,
        api_client(None),
        api_client(None, token_for(ef.people["clerk"], "vaishali")),
    ):
        for path in ("/api/v1/districts/", "/api/v1/dashboard/", "/api/v1/districts/vaishali/"):
            response = client.get(path)
            assert response.status_code in (401, 403), path
            assert b"Muzaffarpur" not in response.content


# --- Creating and provisioning a district ---------------------------------------------------------

NEW = {
    "name": "Araria",
    "name_hi": "अररिया",
    "slug": "araria",
    "new_range": "Purnea",
    "admin_login_id": "no.posting",
}


@pytest.fixture
def staff_writer(world, django_db_blocker):
    """A read-write token of platform staff, committed (the provisioning commits), and the
    district made by the test removed afterwards."""
    from django.core.cache import cache

    from tenants.api_tokens import api_token_create
    from tenants.models import ApiToken
    from tests.api.conftest import ApiClient
    from tests.helpers import district_remove

    with django_db_blocker.unblock():
        token, raw = api_token_create(person=world.staff, district=None, name="t", scope="read-write", days=1)
        yield ApiClient(None, raw)
        district_remove("araria")
        cache.delete("state:provisioning:araria")
        ApiToken.objects.filter(pk=token.pk).delete()


def test_staff_create_a_district_and_follow_its_provisioning(staff_writer):
    from huey.contrib.djhuey import HUEY

    from state_admin.models import AuditEvent
    from tenants.models import District

    refused = staff_writer.post_json("/api/v1/districts/", {**NEW, "slug": "vaishali"})
    assert refused.status_code == 400 and "slug" in refused.json()["fields"]
    assert not AuditEvent.objects.filter(action="district.onboard", district_slug="araria").exists()

    made = staff_writer.post_json("/api/v1/districts/", NEW)
    assert made.status_code == 202, made.content
    body = made.json()
    assert body["slug"] == "araria" and body["first_admin_password"] is None
    assert body["progress_url"] == "/api/v1/districts/araria/provisioning/"
    assert body["task"]["state"] == "queued"
    assert staff_writer.get(body["progress_url"]).json()["state"] == "queued"

    while (task := HUEY.dequeue()) is not None:
        HUEY.execute(task)
    progress = staff_writer.get(body["progress_url"]).json()
    assert progress["state"] == "done" and progress["done"] == progress["total"], progress
    assert District.objects.get(slug="araria").status == District.Status.LIVE
    assert staff_writer.get("/api/v1/districts/nowhere/provisioning/").status_code == 404


def test_only_a_staff_write_token_may_create_a_district(world, ef, token_for, api_client):
    from tenants.models import District

    for client in (
        api_client(None, token_for(world.staff, None, scope="read")),
        api_client(None, token_for(ef.people["clerk"], "vaishali")),
        api_client("vaishali", token_for(world.staff, None)),
        api_client(None),
    ):
        response = client.post_json("/api/v1/districts/", NEW)
        assert response.status_code in (401, 403, 404), response.status_code
        assert client.get("/api/v1/districts/araria/provisioning/").status_code in (401, 403, 404)
    assert not District.objects.filter(slug="araria").exists()


def test_staff_export_a_district_and_download_it_when_ready(world, token_for, api_client, settings, tmp_path):
    from state_admin.models import AuditEvent, ExportJob
    from state_admin.services.export_archive import exports_dir

    settings.MEDIA_ROOT = tmp_path
    staff = api_client(None, token_for(world.staff, None, scope="read-write"))
    made = staff.post_json("/api/v1/districts/vaishali/exports/")
    assert made.status_code == 202, made.content
    job = made.json()
    assert job["status"] == "queued" and job["download_url"] is None
    assert [j["id"] for j in staff.get("/api/v1/districts/vaishali/exports/").json()] == [job["id"]]
    assert AuditEvent.objects.filter(action="district.export", target=job["id"]).exists()
    download = f"/api/v1/districts/vaishali/exports/{job['id']}/download/"
    assert staff.get(download).status_code == 404  # not built yet

    # Built (as the task leaves it): then the archive, with its checksum, audited as a download.
    exports_dir().mkdir(parents=True)
    (exports_dir() / "v.tar.gz").write_bytes(b"archive")
    ExportJob.objects.filter(pk=job["id"]).update(status="done", stored_name="v.tar.gz", sha256="ab" * 32)
    assert staff.get("/api/v1/districts/vaishali/exports/").json()[0]["download_url"] == download
    response = staff.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"archive"
    assert response["X-Checksum-SHA256"] == "ab" * 32 and response["Content-Type"] == "application/gzip"
    assert AuditEvent.objects.filter(action="district.export_download", target=job["id"]).exists()
    assert staff.get("/api/v1/districts/vaishali/exports/not-a-job/download/").status_code == 404

    reader = api_client(None, token_for(world.staff, None, scope="read"))
    assert reader.post_json("/api/v1/districts/vaishali/exports/").status_code == 403  # reads only
    for client in (
        api_client(None, token_for(world.vaishali_officer, "vaishali")),
        api_client("vaishali", token_for(world.staff, None)),
        api_client(None),
    ):
        assert client.post_json("/api/v1/districts/vaishali/exports/").status_code in (401, 403, 404)
        response = client.get(download)
        assert response.status_code in (401, 403, 404) and b"archive" not in response.content
    assert ExportJob.objects.filter(district_slug="vaishali").count() == 1


def test_staff_read_the_rollout_plans(world, token_for, api_client):
    from state_admin.models import PhaseTarget, RolloutPhase, RolloutPlan
    from tenants.models import District

    plan = RolloutPlan.objects.create(name="Tirhut go-live", created_by=world.staff)
    phase = RolloutPhase.objects.create(plan=plan, number=1, name="Thanas", office_kinds=["thana"])
    PhaseTarget.objects.create(
        phase=phase, district=District.objects.get(slug="vaishali"), target_on="2027-01-15"
    )
    plans = api_client(None, token_for(world.staff, None, scope="read")).get("/api/v1/rollouts/").json()
    mine = next(p for p in plans if p["id"] == plan.pk)
    assert mine["phases"][0]["targets"][0]["district_slug"] == "vaishali"
    officer = api_client(None, token_for(world.vaishali_officer, "vaishali"))
    assert officer.get("/api/v1/rollouts/").status_code in (401, 403)
