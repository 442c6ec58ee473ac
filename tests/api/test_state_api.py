"""The state API: platform staff only (their session or their token), the console's selectors
and lifecycle services; officers and district tokens get nothing."""


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
