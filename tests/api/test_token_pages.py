"""The token pages: a person makes a token on their district's host (shown once, stored hashed,
audited there), lists and revokes it; the district admin revokes anyone's of the district; platform
staff make theirs with a TOTP code, and revoke any."""

import hashlib
import re

from core.models import AuditEvent
from tenants.context import district_context
from tenants.models import ApiToken
from tests.helpers import TOTP_SECRET, totp_fresh


def _made(response) -> str:
    match = re.search(r'<code id="new-token">(kya_[A-Za-z0-9_-]+)</code>', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)


def test_officer_makes_a_token_shown_once_stored_hashed_and_it_works(world, ef, api_client):
    page = ef.client("clerk")
    response = page.post("/api/tokens/", {"name": "Scanner", "scope": "read-write", "days": 90})
    raw = _made(response)
    token = ApiToken.objects.get(person=ef.people["clerk"])
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest() and raw not in str(token.__dict__)
    assert token.district.slug == "vaishali"
    assert raw not in page.get("/api/tokens/").content.decode()  # once
    assert api_client("vaishali", raw).get("/api/v1/inbox/").status_code == 200
    with district_context("vaishali"):
        assert AuditEvent.objects.filter(action="api_token.create", person_id=ef.people["clerk"].pk).exists()


def test_more_than_ninety_days_or_no_name_is_refused(world, ef):
    page = ef.client("clerk")
    for bad in (
        {"name": "x", "scope": "read", "days": 91},
        {"name": "", "scope": "read", "days": 5},
        {"name": "x", "scope": "admin", "days": 5},
        {"name": "x", "scope": "read", "days": "-1"},
    ):
        response = page.post("/api/tokens/", bad)
        assert response.status_code == 200 and 'id="new-token"' not in response.content.decode()
    assert not ApiToken.objects.filter(person=ef.people["clerk"]).exists()


def test_person_revokes_own_token_but_not_a_colleagues(world, ef, token_for, api_client):
    own = token_for(ef.people["clerk"], "vaishali")
    colleague = token_for(ef.people["sdpo"], "vaishali")
    page = ef.client("clerk")
    theirs = ApiToken.objects.get(person=ef.people["sdpo"])
    assert page.post(f"/api/tokens/{theirs.pk}/revoke/").status_code == 404
    mine = ApiToken.objects.get(person=ef.people["clerk"])
    assert page.post(f"/api/tokens/{mine.pk}/revoke/").status_code == 302
    assert api_client("vaishali", own).get("/api/v1/inbox/").status_code == 401
    assert api_client("vaishali", colleague).get("/api/v1/inbox/").status_code == 200


def test_district_admin_revokes_a_token_of_the_district_not_of_another(world, ef, token_for, api_client):
    raw = token_for(ef.people["clerk"], "vaishali")
    token_for(ef.people["other"], "muzaffarpur")
    admin = api_client("vaishali")
    admin.sign_in("vaishali.admin")
    listed = admin.get("/api/tokens/").content.decode()
    assert "Ef Clerk" in listed and "Ef Other" not in listed
    other = ApiToken.objects.get(person=ef.people["other"])
    assert admin.post(f"/api/tokens/{other.pk}/revoke/").status_code == 404
    mine = ApiToken.objects.get(person=ef.people["clerk"])
    assert admin.post(f"/api/tokens/{mine.pk}/revoke/").status_code == 302
    assert api_client("vaishali", raw).get("/api/v1/inbox/").status_code == 401


def test_staff_need_a_totp_code_for_a_state_token_and_revoke_any(world, ef, token_for, api_client):
    staff = api_client(None)
    staff.sign_in("state.staff")
    refused = staff.post("/api/tokens/", {"name": "MIS", "scope": "read", "days": 30, "code": "000000"})
    assert 'id="new-token"' not in refused.content.decode()
    code = totp_fresh(world.staff.pk, TOTP_SECRET)
    raw = _made(staff.post("/api/tokens/", {"name": "MIS", "scope": "read", "days": 30, "code": code}))
    assert api_client(None, raw).get("/api/v1/dashboard/").status_code == 200
    district_raw = token_for(ef.people["clerk"], "vaishali")
    token = ApiToken.objects.get(person=ef.people["clerk"])
    assert staff.post(f"/api/tokens/{token.pk}/revoke/").status_code == 302
    assert api_client("vaishali", district_raw).get("/api/v1/inbox/").status_code == 401


def test_officer_cannot_reach_the_state_token_page(world, ef, api_client):
    client = api_client(None)
    client.sign_in(ef.people["clerk"].login_id)
    assert client.get("/api/tokens/").status_code in (302, 403, 404)
