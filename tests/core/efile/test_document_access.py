"""Downloads and previews: only through the permission check, with headers that keep a browser from
running what it fetches, and an audit event for every look. Everyone else gets 404, with ids that
exist in both districts."""

import datetime
import hashlib
from urllib.parse import quote

import pytest
from django.utils import timezone

from core.base.storage import stored_path
from core.efile.services.documents import document_upload, document_version_add
from core.models import AuditEvent, Document, Posting, Receipt
from tenants.context import district_context
from tests.core.efile import samples
from tests.core.efile.filework import dak_of, gen_file
from tests.core.efile.samples import upload
from tests.helpers import HostClient, sign_in_refused

HINDI_NAME = "आदेश पत्र.pdf"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KARYALAY_X_ACCEL_PREFIX = ""
    return settings.MEDIA_ROOT


def _document(ef, key: str, data: bytes, name: str = HINDI_NAME, subject: str = "Rollout") -> Document:
    file = gen_file(ef.actor(key), ef.posts[key], subject)
    (document,) = document_upload(actor=ef.actor(key), file=file, uploads=[upload(name, data)])
    return document


def _same_id_in_both(ef):
    """A Vaishali document and a Muzaffarpur one with the same id, each with its own bytes."""
    vaishali_pdf, muzaffarpur_pdf = samples.pdf_bytes(1), samples.pdf_bytes(2)
    with district_context("vaishali"):
        mine = _document(ef, "clerk", vaishali_pdf)
    with district_context("muzaffarpur"):
        theirs = _document(ef, "other", muzaffarpur_pdf, name="mzp.pdf")
    while mine.pk != theirs.pk:
        if mine.pk < theirs.pk:
            with district_context("vaishali"):
                mine = _document(ef, "clerk", vaishali_pdf)
        else:
            with district_context("muzaffarpur"):
                theirs = _document(ef, "other", muzaffarpur_pdf, name="mzp.pdf")
    return mine, theirs, vaishali_pdf, muzaffarpur_pdf


def _events(action: str) -> list[tuple[str, int | None]]:
    return list(AuditEvent.objects.filter(action=action).order_by("id").values_list("target_id", "post_id"))


def test_download_is_the_stored_file_as_an_attachment_with_safe_headers(ef):
    data = samples.pdf_bytes(2)
    with district_context("vaishali"):
        document = _document(ef, "clerk", data)
    response = ef.client("clerk").get(f"/documents/{document.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"document.pdf\"; filename*=utf-8''{quote(HINDI_NAME)}"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    with district_context("vaishali"):
        assert _events("document.download") == [(str(document.pk), ef.posts["clerk"].pk)]


def test_ascii_names_get_a_plain_filename_with_reserved_characters_replaced(ef):
    with district_context("vaishali"):
        document = _document(ef, "clerk", samples.image_bytes("JPEG"), name='scan "1".jpg')
    response = ef.client("clerk").get(f"/documents/{document.pk}/download/")
    assert (
        response["Content-Disposition"]
        == "attachment; filename=\"scan _1_.jpg\"; filename*=utf-8''scan%20_1_.jpg"
    )
    assert response["Content-Type"] == "image/jpeg"


def test_preview_is_an_inline_png_and_audited(ef):
    with district_context("vaishali"):
        document = _document(ef, "clerk", samples.pdf_bytes())
    response = ef.client("clerk").get(f"/documents/{document.pk}/v1/preview.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox;")
    with district_context("vaishali"):
        assert _events("document.preview") == [(str(document.pk), ef.posts["clerk"].pk)]


def test_versions_are_downloaded_by_number_and_the_latest_by_default(ef):
    first, second = samples.pdf_bytes(1), samples.pdf_bytes(3)
    with district_context("vaishali"):
        document = _document(ef, "clerk", first)
        document_version_add(actor=ef.actor("clerk"), document=document, upload=upload("v2.pdf", second))
    client = ef.client("clerk")
    assert b"".join(client.get(f"/documents/{document.pk}/v1/download/").streaming_content) == first
    assert b"".join(client.get(f"/documents/{document.pk}/v2/download/").streaming_content) == second
    assert b"".join(client.get(f"/documents/{document.pk}/download/").streaming_content) == second
    for bad in ("v0", "v3", "v99999999999999999999"):
        assert client.get(f"/documents/{document.pk}/{bad}/download/").status_code == 404
        assert client.get(f"/documents/{document.pk}/{bad}/preview.png").status_code == 404


def test_a_supervisor_may_download_and_is_recorded_as_their_supervising_post(ef):
    with district_context("vaishali"):
        document = _document(ef, "clerk", samples.pdf_bytes())
    assert ef.client("sp").get(f"/documents/{document.pk}/download/").status_code == 200
    with district_context("vaishali"):
        assert _events("document.download") == [(str(document.pk), ef.posts["sp"].pk)]


def test_behind_nginx_the_view_answers_with_x_accel_redirect(ef, settings, media):
    settings.KARYALAY_X_ACCEL_PREFIX = "/protected/"
    with district_context("vaishali"):
        document = _document(ef, "clerk", samples.pdf_bytes())
        version = document.versions.get()
        relative = stored_path(version.stored_name).relative_to(media).as_posix()
    response = ef.client("clerk").get(f"/documents/{document.pk}/download/")
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected/{relative}"
    assert relative.startswith("districts/vaishali/documents/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_receipts_scanned_copy_is_served_to_those_who_see_the_receipt(ef):
    with district_context("vaishali"):
        receipt = dak_of(ef, mode=Receipt.Mode.HAND, sender="IG", subject="Letter")
        (document,) = document_upload(
            actor=ef.actor("clerk"), receipt=receipt, uploads=[upload("scan.png", samples.image_bytes())]
        )
    assert ef.client("clerk").get(f"/documents/{document.pk}/download/").status_code == 200
    assert ef.client("sho").get(f"/documents/{document.pk}/download/").status_code == 404


def _urls(document_id: int) -> list[tuple[str, str]]:
    return [
        ("get", f"/documents/{document_id}/download/"),
        ("get", f"/documents/{document_id}/v1/download/"),
        ("get", f"/documents/{document_id}/preview.png"),
        ("get", f"/documents/{document_id}/v1/preview.png"),
        ("post", f"/documents/{document_id}/versions/new/"),
    ]


def test_nobody_without_access_gets_a_document(ef, world):
    mine, _theirs, vaishali_pdf, muzaffarpur_pdf = _same_id_in_both(ef)
    with district_context("vaishali"):
        only_here = _document(ef, "clerk", vaishali_pdf, subject="Only in Vaishali")
        file_id = mine.file_id
        before = (AuditEvent.objects.count(), Document.objects.count())
    admin = HostClient("vaishali")
    admin.sign_in("vaishali.admin")
    outsiders = {
        "sho": ef.client("sho"),
        "mahnar": ef.client("mahnar"),
        "anonymous": HostClient("vaishali"),
        "district admin": admin,
    }
    for who, client in outsiders.items():
        for document in (mine, only_here):
            for method, url in _urls(document.pk):
                response = getattr(client, method)(
                    url, {"file": upload("x.png", samples.image_bytes())} if method == "post" else None
                )
                assert response.status_code == 404, (who, url)
                assert vaishali_pdf not in response.content
        response = client.post(
            f"/documents/file/{file_id}/upload/", {"files": [upload("x.png", samples.image_bytes())]}
        )
        assert response.status_code == 404, who
    with district_context("vaishali"):
        assert (AuditEvent.objects.count(), Document.objects.count()) == before
    # Another district's officer on their own host gets their own document with that id, nothing else.
    other = ef.client("other")
    response = other.get(f"/documents/{mine.pk}/download/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == muzaffarpur_pdf
    assert response["Content-Disposition"] == "attachment; filename=\"mzp.pdf\"; filename*=utf-8''mzp.pdf"
    for method, url in _urls(only_here.pk):
        assert getattr(other, method)(url).status_code == 404
    # On Vaishali's host, someone with no posting there cannot even sign in, and gets nothing.
    for login in ("ef.other", "no.posting"):
        client = HostClient("vaishali")
        assert sign_in_refused(client.sign_in(login))
        for method, url in _urls(mine.pk):
            response = getattr(client, method)(url)
            assert response.status_code == 404 and vaishali_pdf not in response.content


def test_a_signed_in_person_with_no_posting_in_force_gets_the_gates_403(ef):
    data = samples.pdf_bytes()
    with district_context("vaishali"):
        document = _document(ef, "clerk", data)
    clerk = ef.client("clerk")
    assert clerk.get(f"/documents/{document.pk}/download/").status_code == 200
    with district_context("vaishali"):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        Posting.objects.filter(person=ef.people["clerk"]).update(starts_on=tomorrow)
    # The gate answers 403 and signs them out; after that they are a visitor, who gets 404.
    statuses = []
    for method, url in _urls(document.pk):
        response = getattr(clerk, method)(url)
        assert data not in response.content
        statuses.append(response.status_code)
    assert statuses == [403, 404, 404, 404, 404]


def test_ids_that_cannot_be_ids_are_404(ef):
    clerk = ef.client("clerk")
    for raw in ("0", "9223372036854775808", "99999999999999999999999"):
        assert clerk.get(f"/documents/{raw}/download/").status_code == 404
        assert clerk.get(f"/documents/{raw}/preview.png").status_code == 404
        assert clerk.post(f"/documents/file/{raw}/upload/").status_code == 404
        assert clerk.post(f"/documents/receipt/{raw}/upload/").status_code == 404
    assert clerk.get("/documents/abc/download/").status_code == 404
    assert clerk.get("/documents/%00/download/").status_code == 404


def test_changes_are_post_only_and_reads_get_only(ef):
    with district_context("vaishali"):
        document = _document(ef, "clerk", samples.pdf_bytes())
    clerk = ef.client("clerk")
    assert clerk.get(f"/documents/file/{document.file_id}/upload/").status_code == 405
    assert clerk.get(f"/documents/{document.pk}/versions/new/").status_code == 405
    assert clerk.post(f"/documents/{document.pk}/download/").status_code == 405


def test_a_stored_file_gone_from_disk_is_a_404_not_a_500(ef):
    with district_context("vaishali"):
        document = _document(ef, "clerk", samples.pdf_bytes())
        version = document.versions.get()
        stored_path(version.stored_name).unlink()
        stored_path(version.preview_name).unlink()
    clerk = ef.client("clerk")
    assert clerk.get(f"/documents/{document.pk}/download/").status_code == 404
    assert clerk.get(f"/documents/{document.pk}/preview.png").status_code == 404


def test_the_sha256_on_the_row_is_of_the_bytes_served(ef):
    data = samples.image_bytes("TIFF")
    with district_context("vaishali"):
        document = _document(ef, "clerk", data, name="scan.tiff")
        sha = document.versions.get().sha256
    served = b"".join(ef.client("clerk").get(f"/documents/{document.pk}/download/").streaming_content)
    assert hashlib.sha256(served).hexdigest() == sha
