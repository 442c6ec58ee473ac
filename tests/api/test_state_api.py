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
