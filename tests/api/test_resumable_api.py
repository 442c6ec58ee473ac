"""Resumable uploads through the API (issue 20, point 2, with issue 12's tus server): a script
uploads a scan to ``/uploads/`` with its token, then makes a document of it through the API's
upload; the tus server takes only a good token of this host (a read token may only ask), the
session keeps its CSRF check, and an upload is nobody else's to see or use."""

import datetime
import hashlib

import pytest
from django.utils import timezone

from core.models import AuditEvent, DocumentVersion
from tenants.api_tokens import api_token_find, api_token_revoke
from tenants.context import district_context
from tenants.models import ApiToken
from tests.core.efile import samples
from tests.core.efile.filework import open_file
from tests.core.uploads.tus_client import TUS, create, head, upload_whole
from tests.helpers import HostClient

PDF = samples.pdf_bytes(2)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def file(ef):
    with district_context("vaishali"):
        return open_file(ef, "clerk")


def test_a_token_uploads_by_tus_and_the_api_makes_the_document(ef, file, token_for, api_client):
    clerk = api_client("vaishali", token_for(ef.people["clerk"], "vaishali"))
    upload_id = upload_whole(clerk, PDF, name="order.pdf", chunk=1500)
    assert head(clerk, f"/uploads/{upload_id}/")["Upload-Offset"] == str(len(PDF))

    made = clerk.post(
        f"/api/v1/file/{file.pk}/documents/", {"title": "Order", "resumable-files": [upload_id]}
    )
    assert made.status_code == 201, made.content
    document = made.json()[0]
    assert (
        document["title"] == "Order" and document["versions"][0]["sha256"] == hashlib.sha256(PDF).hexdigest()
    )
    with district_context("vaishali"):
        version = DocumentVersion.objects.get(document_id=document["id"])
        assert version.size == len(PDF) and version.original_name == "order.pdf"
        assert AuditEvent.objects.filter(action="document.upload", person_id=ef.people["clerk"].pk).exists()
    # Claimed once: sending it again makes nothing, and says why.
    again = clerk.post(f"/api/v1/file/{file.pk}/documents/", {"resumable-files": [upload_id]})
    assert again.status_code == 400 and "files" in again.json()["fields"]
    assert head(clerk, f"/uploads/{upload_id}/").status_code == 404


def test_a_read_token_may_not_upload(ef, token_for, api_client):
    reader = api_client("vaishali", token_for(ef.people["clerk"], "vaishali", scope=ApiToken.Scope.READ))
    assert reader.options("/uploads/", **TUS).status_code == 204
    assert create(reader, PDF).status_code == 404


def test_no_good_token_no_upload_and_nobody_elses(world, ef, file, token_for, api_client):
    writer = api_client("vaishali", token_for(ef.people["clerk"], "vaishali"))
    upload_id = upload_whole(writer, PDF)
    expired = token_for(ef.people["clerk"], "vaishali")
    ApiToken.objects.filter(digest=api_token_find(expired).digest).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    revoked = token_for(ef.people["clerk"], "vaishali")
    assert api_token_revoke(token=api_token_find(revoked), by=ef.people["clerk"])
    others = {
        "another officer here": api_client("vaishali", token_for(ef.people["sdpo"], "vaishali")),
        "another district's token here": api_client("vaishali", token_for(ef.people["other"], "muzaffarpur")),
        "no posting": api_client("vaishali", token_for(world.unposted, "vaishali")),
        "expired": api_client("vaishali", expired),
        "revoked": api_client("vaishali", revoked),
        "garbage": api_client("vaishali", "kya_nonsense"),
    }
    for name, client in others.items():
        if name != "another officer here":  # who may make uploads of their own
            assert create(client, PDF).status_code == 404, name
        assert head(client, f"/uploads/{upload_id}/").status_code == 404, name
        assert client.generic("DELETE", f"/uploads/{upload_id}/", **TUS).status_code == 404, name
    # The owner's token on another district's host: its uploads are not there either.
    wrong_host = api_client("muzaffarpur", token_for(ef.people["clerk"], "vaishali"))
    assert head(wrong_host, f"/uploads/{upload_id}/").status_code == 404
    # Another officer who may see the file still cannot use the clerk's upload.
    with district_context("vaishali"):
        from core.efile.services.movement import file_send

        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"])
    sdpo = others["another officer here"]
    used = sdpo.post(f"/api/v1/file/{file.pk}/documents/", {"resumable-files": [upload_id]})
    assert used.status_code == 400
    assert head(writer, f"/uploads/{upload_id}/").status_code == 200  # still the clerk's


def test_the_session_keeps_its_csrf_check(ef):
    client = HostClient("vaishali")
    client.sign_in(ef.people["clerk"].login_id)
    assert create(client, PDF).status_code == 201  # the test client is let through, as ever
    client.handler.enforce_csrf_checks = True
    refused = create(client, PDF)  # a page's script that sent no CSRF token
    assert refused.status_code == 403 and b"CSRF" in refused.content
