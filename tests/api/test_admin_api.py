"""The district admin's API (issue 20, point 2): offices, posts, postings, officers, readiness
through the pages' forms and ``core.org``'s services, audited; and nothing for anyone else: an
officer of the district, another district's admin (their host or this one), a person with no
posting, an expired or revoked token."""

import datetime

import pytest
from django.utils import timezone

from core.models import AuditEvent, Office, Post, Posting
from tenants.api_tokens import api_token_find, api_token_revoke
from tenants.context import district_context
from tenants.models import ApiToken, User

TODAY = timezone.localdate()


@pytest.fixture
def admin(world, token_for, api_client):
    person = User.objects.get(login_id="vaishali.admin")
    return api_client("vaishali", token_for(person, "vaishali"))


def test_admin_makes_an_office_a_post_and_a_posting_then_ends_it(world, admin):
    with district_context("vaishali"):
        sp_office = Office.objects.get(code="sp-office")
    offices = admin.get("/api/v1/admin/offices/").json()
    assert offices[0]["id"] == sp_office.pk and offices[0]["depth"] == 0

    made = admin.post_json(
        "/api/v1/admin/offices/",
        {
            "code": "sdpo-goraul",
            "name": "SDPO Office Goraul",
            "kind": "sdpo",
            "parent": sp_office.pk,
            "phase": 2,
            "status": "planned",
        },
    )
    assert made.status_code == 201, made.content
    office = made.json()
    assert office["parent_id"] == sp_office.pk
    again = admin.post_json(
        "/api/v1/admin/offices/",
        {"code": "sdpo-goraul", "name": "Goraul", "kind": "sdpo", "phase": 2, "status": "planned"},
    )
    assert again.status_code == 400 and "code" in again.json()["fields"]

    post = admin.post_json(
        f"/api/v1/admin/offices/{office['id']}/posts/",
        {"code": "sdpo-goraul", "kind": Post.Kind.SDPO, "title": "SDPO Goraul"},
    )
    assert post.status_code == 201, post.content
    post_id = post.json()["id"]
    posting = admin.post_json(
        f"/api/v1/admin/posts/{post_id}/postings/",
        {"login_id": world.vaishali_officer.login_id, "starts_on": TODAY.isoformat()},
    )
    assert posting.status_code == 201, posting.content
    assert posting.json()["person_id"] == world.vaishali_officer.pk
    clash = admin.post_json(
        f"/api/v1/admin/posts/{post_id}/postings/",
        {"login_id": world.vaishali_clerk.login_id, "starts_on": TODAY.isoformat()},
    )
    assert clash.status_code == 400  # a post has one holder at a time

    detail = admin.get(f"/api/v1/admin/offices/{office['id']}/").json()
    assert [h["login_id"] for h in detail["posts"][0]["holders"]] == [world.vaishali_officer.login_id]
    listed = admin.get(f"/api/v1/admin/posts/{post_id}/postings/").json()
    assert [p["id"] for p in listed["results"]] == [posting.json()["id"]] and listed["next"] is None

    ended = admin.post_json(
        f"/api/v1/admin/postings/{posting.json()['id']}/end/", {"ends_on": TODAY.isoformat()}
    )
    assert ended.status_code == 200 and ended.json()["ends_on"] == TODAY.isoformat()

    officers = admin.get("/api/v1/admin/officers/", {"q": world.vaishali_officer.login_id}).json()
    assert [o["id"] for o in officers["results"]] == [world.vaishali_officer.pk]
    readiness = admin.get("/api/v1/admin/readiness/").json()
    assert office["id"] in [row["office"]["id"] for row in readiness]
    with district_context("vaishali"):
        actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"office.create", "post.create", "posting.start", "posting.end"} <= actions


READS = [
    "/api/v1/admin/offices/",
    "/api/v1/admin/offices/{office}/",
    "/api/v1/admin/posts/{post}/postings/",
    "/api/v1/admin/officers/",
    "/api/v1/admin/readiness/",
]
WRITES = [
    (
        "/api/v1/admin/offices/",
        {"code": "x-office", "name": "X", "kind": "thana", "phase": 1, "status": "planned"},
    ),
    ("/api/v1/admin/offices/{office}/posts/", {"code": "x-post", "kind": "sho", "title": "X"}),
    ("/api/v1/admin/posts/{post}/postings/", {"login_id": "no.posting", "starts_on": TODAY.isoformat()}),
    ("/api/v1/admin/postings/{posting}/end/", {"ends_on": TODAY.isoformat()}),
]


@pytest.fixture
def ids(world, db):
    """A Vaishali office and post named Secret, and a posting to it."""
    from core.org import services

    with district_context("vaishali"):
        office = services.office_create(code="secret-office", name="Secret office", kind=Office.Kind.THANA)
        post = services.post_create(
            office=office, code="secret-post", title="Secret post", kind=Post.Kind.SHO
        )
        posting = services.posting_start(person=world.vaishali_clerk, post=post)
    return {"office": office.pk, "post": post.pk, "posting": posting.pk}


def _calls(client, ids):
    for url in READS:
        yield url, client.get(url.format(**ids))
    for url, body in WRITES:
        yield url, client.post(url.format(**ids), body, content_type="application/json")


def test_nobody_but_this_districts_admin_gets_anything(world, ids, token_for, api_client):
    mzp_admin = User.objects.get(login_id="muzaffarpur.admin")
    expired = token_for(User.objects.get(login_id="vaishali.admin"), "vaishali")
    ApiToken.objects.filter(digest=api_token_find(expired).digest).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    vaishali_admin = User.objects.get(login_id="vaishali.admin")
    revoked = token_for(vaishali_admin, "vaishali")
    assert api_token_revoke(token=api_token_find(revoked), by=vaishali_admin)
    refused = {
        "an officer of the district": (
            api_client("vaishali", token_for(world.vaishali_clerk, "vaishali")),
            (404,),
        ),
        # On their own host the ids name Muzaffarpur's rows or none: whatever it answers, never
        # a byte of Vaishali's, and Vaishali's rows stay as they were (checked at the end).
        "another district's admin on their host": (
            api_client("muzaffarpur", token_for(mzp_admin, "muzaffarpur")),
            (200, 201, 400, 404),
        ),
        "another district's admin here": (
            api_client("vaishali", token_for(mzp_admin, "muzaffarpur")),
            (401, 403),
        ),
        "no posting": (api_client("vaishali", token_for(world.unposted, "vaishali")), (401,)),
        "expired": (api_client("vaishali", expired), (401,)),
        "revoked": (api_client("vaishali", revoked), (401,)),
    }
    with district_context("vaishali"):
        before = (Office.objects.count(), Post.objects.count(), Posting.objects.count())
    for name, (client, statuses) in refused.items():
        for url, response in _calls(client, ids):
            assert response.status_code in statuses, (name, url, response.status_code)
            assert b"Secret" not in response.content, (name, url)
    with district_context("vaishali"):
        assert (Office.objects.count(), Post.objects.count(), Posting.objects.count()) == before
        assert Posting.objects.get(pk=ids["posting"]).ends_on is None
