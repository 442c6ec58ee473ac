"""Who gets in: a token on its own district's host while its person is posted there; nobody else,
and never a byte of another district."""

import datetime

from django.utils import timezone

from core.models import AuditEvent
from tenants.api_tokens import api_token_find, api_token_revoke
from tenants.context import district_context
from tenants.models import ApiToken


def _inbox(api_client, slug, token=None, **extra):
    return api_client(slug, token).get("/api/v1/inbox/", **extra)


def test_officer_token_reads_own_inbox(world, token_for, api_client):
    token = token_for(world.vaishali_officer, "vaishali", scope="read")
    response = _inbox(api_client, "vaishali", token)
    assert response.status_code == 200
    assert response.json() == {"results": [], "next": None}
    assert response["Cache-Control"] == "no-store, private"
    assert api_token_find(token).last_used_at is not None


def test_no_token_is_401_json(world, api_client):
    response = _inbox(api_client, "vaishali")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_of_other_district_is_refused_on_this_host(world, token_for, api_client):
    token = token_for(world.muzaffarpur_officer, "muzaffarpur")
    response = _inbox(api_client, "vaishali", token)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_vaishali_token_on_muzaffarpur_host_is_refused(world, token_for, api_client):
    # The person holds no posting there either way: the token is for Vaishali only.
    token = token_for(world.vaishali_officer, "vaishali")
    assert _inbox(api_client, "muzaffarpur", token).status_code == 401


def test_token_of_person_without_posting_is_refused(world, token_for, api_client):
    token = token_for(world.unposted, "vaishali")
    response = _inbox(api_client, "vaishali", token)
    assert response.status_code == 401
    assert "no posting" in response.json()["message"]


def test_token_stops_when_district_admin_deactivates_the_person(world, ef, token_for, api_client):
    from core.base.audit import Actor
    from core.org.services.officers import officer_deactivate

    token = token_for(ef.people["clerk"], "vaishali")
    assert _inbox(api_client, "vaishali", token).status_code == 200
    with district_context("vaishali"):
        officer_deactivate(actor=Actor(person=world.staff), person=ef.people["clerk"], reason="left")
    assert _inbox(api_client, "vaishali", token).status_code == 401


def test_expired_and_revoked_tokens_are_refused(world, token_for, api_client):
    expired = token_for(world.vaishali_officer, "vaishali")
    ApiToken.objects.filter(digest=api_token_find(expired).digest).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert _inbox(api_client, "vaishali", expired).status_code == 401
    revoked = token_for(world.vaishali_officer, "vaishali")
    assert api_token_revoke(token=api_token_find(revoked), by=world.vaishali_officer)
    assert _inbox(api_client, "vaishali", revoked).status_code == 401


def test_garbage_tokens_are_401_not_500(world, api_client):
    for header in ("Bearer", "Bearer a b", "Bearer kya_" + "x" * 200, "Bearer \u00e9", "Token kya_nothing"):
        response = api_client("vaishali").get("/api/v1/inbox/", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header


def test_state_token_never_works_on_a_district_host(world, token_for, api_client):
    token = token_for(world.staff, None)
    assert _inbox(api_client, "vaishali", token).status_code == 401
    assert api_client(None, token).get("/api/v1/districts/").status_code == 200


def test_district_token_never_works_on_the_state_console(world, token_for, api_client):
    token = token_for(world.vaishali_officer, "vaishali")
    assert api_client(None, token).get("/api/v1/districts/").status_code == 401


def test_read_token_cannot_write(world, ef, token_for, api_client):
    token = token_for(ef.people["clerk"], "vaishali", scope="read")
    response = api_client("vaishali", token).post_json("/api/v1/dak/", {"sender": "x"})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_errors_in_hindi_with_accept_language(world, token_for, api_client):
    token = token_for(world.unposted, "vaishali")
    response = _inbox(api_client, "vaishali", token, HTTP_ACCEPT_LANGUAGE="hi")
    assert response.status_code == 401
    assert "में आपकी कोई पदस्थापना नहीं है" in response.json()["message"]


def test_unknown_api_path_is_json_404(world, token_for, api_client):
    token = token_for(world.vaishali_officer, "vaishali")
    response = api_client("vaishali", token).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_session_needs_csrf_for_writes(world, ef, api_client):
    client = api_client("vaishali")
    client.sign_in(ef.people["clerk"].login_id)
    client.handler.enforce_csrf_checks = True  # as a browser: the page's token or nothing
    assert client.get("/api/v1/inbox/").status_code == 200
    response = client.post_json("/api/v1/dak/", {"sender": "x"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]


def test_token_use_is_audited_in_the_district_chain(world, ef, token_for, api_client):
    token = token_for(ef.people["clerk"], "vaishali")
    response = api_client("vaishali", token).get(f"/api/v1/people/{ef.people['sdpo'].pk}/")
    assert response.status_code == 200
    with district_context("vaishali"):
        event = AuditEvent.objects.order_by("-id").first()
    assert event.person_id == ef.people["clerk"].pk
    assert event.action.startswith("person.")


def test_the_pages_write_limit_applies_to_a_token_as_json_429_with_retry_after(
    world, ef, token_for, api_client, settings
):
    from config.ratelimit_rules import parse_rules

    settings.KARYALAY_RATE_LIMITS = {**settings.KARYALAY_RATE_LIMITS, "write": parse_rules("x", "2/m/user")}
    client = api_client("vaishali", token_for(ef.people["clerk"], "vaishali"))
    codes = [client.post_json("/api/v1/dak/", {}).status_code for _ in range(3)]
    assert codes == [400, 400, 429]
    response = client.post_json("/api/v1/dak/", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert response.json()["code"] == "throttled"
    # Reads are not limited, as on the pages.
    assert client.get("/api/v1/inbox/").status_code == 200
