"""The e-File through the API, as an officer does it in the browser: diarise, scan, open, note,
send; the recipient's inbox; and every endpoint that names a record answers 404 (never a byte)
to an officer who may not see it, and to another district's host."""

import pytest

from core.models import AuditEvent, Receipt
from tenants.context import district_context
from tests.core.efile import samples
from tests.core.efile.filework import dak_of, open_file
from tests.core.efile.samples import upload


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def clerk(ef, token_for, api_client):
    return api_client("vaishali", token_for(ef.people["clerk"], "vaishali"))


def _letter(**extra):
    return {
        "mode": Receipt.Mode.POST,
        "sender": "DIG Tirhut",
        "subject": "Computers for the SDPO offices",
        "received_on": "2026-01-05",
        **extra,
    }


def test_diarise_upload_attach_note_send_reaches_the_sdpo_inbox(ef, clerk, token_for, api_client):
    response = clerk.post_json("/api/v1/dak/", _letter())
    assert response.status_code == 201, response.content
    receipt = response.json()
    assert receipt["diary_number"] and receipt["current_post_id"] == ef.posts["clerk"].pk

    scan = clerk.post(
        f"/api/v1/receipt/{receipt['id']}/documents/",
        {"files": [upload("scan.pdf", samples.pdf_bytes())], "title": "Scan"},
    )
    assert scan.status_code == 201, scan.content
    document = scan.json()[0]
    assert (
        document["receipt_id"] == receipt["id"]
        and document["versions"][0]["content_type"] == "application/pdf"
    )

    with district_context("vaishali"):
        file = open_file(ef, "clerk")
    attached = clerk.post_json(f"/api/v1/dak/{receipt['id']}/attach/", {"file": file.pk})
    assert attached.status_code == 200, attached.content
    assert attached.json()["file_id"] == file.pk

    note = clerk.post_json(f"/api/v1/files/{file.pk}/notes/", {"body": "Put up for orders."})
    assert note.status_code == 201 and note.json()["seq"] == 1

    sent = clerk.post_json(
        f"/api/v1/files/{file.pk}/send/", {"to_post": ef.posts["sdpo"].pk, "remarks": "Pl."}
    )
    assert sent.status_code == 200, sent.content
    assert sent.json()["current_post_id"] == ef.posts["sdpo"].pk

    sdpo = api_client("vaishali", token_for(ef.people["sdpo"], "vaishali", scope="read"))
    inbox = sdpo.get("/api/v1/inbox/").json()
    assert [(row["kind"], row["id"], row["new"]) for row in inbox["results"]] == [("file", file.pk, True)]
    detail = sdpo.get(f"/api/v1/files/{file.pk}/").json()
    assert [n["body"] for n in detail["notes"]] == ["Put up for orders."]
    assert [r["id"] for r in detail["receipts"]] == [receipt["id"]]
    assert detail["track"][-1]["to_post_id"] == ef.posts["sdpo"].pk

    download = sdpo.get(f"/api/v1/documents/{document['id']}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"].startswith("sandbox")
    assert download["Content-Disposition"].startswith("attachment")

    sent_tray = clerk.get("/api/v1/sent/").json()["results"]
    assert sent_tray[0]["id"] == file.pk and sent_tray[0]["action"] == "sent"
    with district_context("vaishali"):
        actions = list(
            AuditEvent.objects.filter(person_id=ef.people["clerk"].pk).values_list("action", flat=True)
        )
    for action in ("receipt.diarise", "note.add"):
        assert action in actions


def test_refused_input_is_400_json_and_writes_nothing(ef, clerk):
    with district_context("vaishali"):
        before = Receipt.objects.count()
    for bad in (
        {},
        _letter(received_on="not a date"),
        _letter(mode="pigeon"),
        _letter(sender="x" * 201),
        _letter(to_post=ef.posts["other"].pk),  # a post of another district: not offered
        _letter(to_post="1; DROP TABLE core_receipt"),
    ):
        response = clerk.post_json("/api/v1/dak/", bad)
        assert response.status_code == 400, (bad, response.content)
        assert response.json()["code"] == "invalid" and response.json()["message"]
    assert clerk.post("/api/v1/dak/", "[1,2", content_type="application/json").status_code == 400
    with district_context("vaishali"):
        assert Receipt.objects.count() == before


def test_send_refused_by_the_service_is_400_and_the_file_stays(ef, clerk, token_for, api_client):
    with district_context("vaishali"):
        file = open_file(ef, "clerk")
    sdpo = api_client("vaishali", token_for(ef.people["sdpo"], "vaishali"))
    # The SDPO supervises nothing over the SP office's clerk: the file is not theirs to see.
    assert sdpo.post_json(f"/api/v1/files/{file.pk}/send/", {"to_post": ef.posts["sp"].pk}).status_code == 404
    closed = clerk.post_json(f"/api/v1/files/{file.pk}/close/", {"remark": ""})
    assert closed.status_code == 400
    assert clerk.get(f"/api/v1/files/{file.pk}/").json()["file"]["status"] == "open"


ENDPOINTS = [
    ("get", "/api/v1/files/{file}/"),
    ("post", "/api/v1/files/{file}/notes/"),
    ("post", "/api/v1/files/{file}/send/"),
    ("post", "/api/v1/files/{file}/return/"),
    ("post", "/api/v1/files/{file}/park/"),
    ("post", "/api/v1/files/{file}/close/"),
    ("get", "/api/v1/dak/{receipt}/"),
    ("post", "/api/v1/dak/{receipt}/attach/"),
    ("get", "/api/v1/documents/{document}/"),
    ("get", "/api/v1/documents/{document}/download/"),
    ("post", "/api/v1/file/{file}/documents/"),
    ("post", "/api/v1/receipt/{receipt}/documents/"),
]


@pytest.fixture
def records(ef):
    """A file, a receipt and a document of Vaishali's SP office clerk."""
    from core.efile.services.documents import document_upload

    with district_context("vaishali"):
        file = open_file(ef, "clerk")
        receipt = dak_of(ef, sender="A", subject="Secret")
        document = document_upload(
            actor=ef.actor("clerk"), file=file, uploads=[upload("a.pdf", samples.pdf_bytes())], title="Secret"
        )[0]
    return {"file": file.pk, "receipt": receipt.pk, "document": document.pk}


def _calls(client, records):
    for method, path in ENDPOINTS:
        url = path.format(**records)
        yield url, getattr(client, method)(url, {}) if method == "get" else client.post(url, {})


def test_every_record_endpoint_is_404_to_who_may_not_see_it(ef, records, token_for, api_client):
    # The Mahnar SDPO supervises nothing over the SP office.
    mahnar = api_client("vaishali", token_for(ef.people["mahnar"], "vaishali"))
    for url, response in _calls(mahnar, records):
        assert response.status_code == 404, url
        assert b"Secret" not in response.content and b"%PDF" not in response.content


def test_other_districts_officer_gets_nothing_with_token_or_session(ef, records, token_for, api_client):
    by_token = api_client("muzaffarpur", token_for(ef.people["other"], "muzaffarpur"))
    for url, response in _calls(by_token, records):
        # Same ids on their own host name their own district's rows (none here): 404.
        assert response.status_code == 404, url
        assert b"Secret" not in response.content
    wrong_host = api_client("vaishali", token_for(ef.people["other"], "muzaffarpur"))
    session = ef.client("other")
    session.defaults["HTTP_HOST"] = "vaishali.localhost"
    for client in (wrong_host, session):
        for url, response in _calls(client, records):
            assert response.status_code in (401, 403), url
            assert b"Secret" not in response.content


def test_person_without_posting_and_anonymous_get_nothing(world, records, token_for, api_client):
    for client in (api_client("vaishali", token_for(world.unposted, "vaishali")), api_client("vaishali")):
        for url, response in _calls(client, records):
            assert response.status_code == 401, url
            assert b"Secret" not in response.content


def test_trays_people_and_search_answer_only_the_callers_own(ef, records, token_for, api_client):
    mahnar = api_client("vaishali", token_for(ef.people["mahnar"], "vaishali"))
    assert mahnar.get("/api/v1/inbox/").json()["results"] == []
    hits = mahnar.get("/api/v1/search/", {"q": "Secret"}).json()
    assert all(group["hits"] == [] for group in hits["groups"])
    other = api_client("muzaffarpur", token_for(ef.people["other"], "muzaffarpur"))
    people = [p["id"] for p in other.get("/api/v1/people/").json()["results"]]
    assert ef.people["clerk"].pk not in people and ef.people["other"].pk in people
    assert other.get(f"/api/v1/people/{ef.people['clerk'].pk}/").status_code == 404


def test_a_bad_cursor_is_400(ef, clerk):
    for cursor in ("x", "MQ", "a" * 500):
        response = clerk.get("/api/v1/inbox/", {"cursor": cursor})
        assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_inbox_pages_by_cursor_in_the_pages_order(ef, clerk):
    from core.efile.selectors.inbox import PAGE_SIZE

    with district_context("vaishali"):
        ids = {open_file(ef, "clerk").pk for _ in range(PAGE_SIZE + 3)}
    first = clerk.get("/api/v1/inbox/").json()
    assert len(first["results"]) == PAGE_SIZE and first["next"]
    second = clerk.get("/api/v1/inbox/", {"cursor": first["next"]}).json()
    assert second["next"] is None
    seen = [row["id"] for row in first["results"] + second["results"]]
    assert set(seen) == ids and len(seen) == len(ids)
