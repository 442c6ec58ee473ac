"""Finished resumable uploads sent with the upload forms (hidden ``resumable-<field>``): the same
service and file checks as a plain upload decide; each upload is used once (a second sending of
the form adds nothing); another person's upload, an unfinished or expired one is refused with
its reason; a refused file (a renamed program) leaves no document and no file anywhere."""

import hashlib
import time

import pytest
from django.conf import settings as django_settings
from django.contrib.messages import get_messages

from core.efile.services.documents import document_upload
from core.models import AuditEvent, DigitisationBatch, Document, DocumentVersion
from core.uploads import partials
from tenants.context import district_context
from tests.core.cases.test_digitisation import make_manifest, make_zip, old_cases  # noqa: F401
from tests.core.efile import samples
from tests.core.efile.filework import gen_file
from tests.core.efile.samples import upload
from tests.core.uploads.tus_client import create, patch, upload_whole

PDF = samples.pdf_bytes(2)
# A Windows program named as a scan.
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 2000


def new_file(ef, key="clerk"):
    with district_context("vaishali"):
        return gen_file(ef.actor(key), ef.posts[key], "Scans of the SP office")


def every_file(media) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def said(response) -> list[str]:
    """The messages the response leaves for the next page (and forgets them)."""
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    response.client.cookies.pop("messages", None)
    return [m for m in messages if not m.startswith("Successfully signed")]


def test_a_finished_upload_becomes_a_document_with_its_hash_and_nothing_is_left(ef, media):
    file = new_file(ef)
    client = ef.client("clerk")
    one, two = (
        upload_whole(client, PDF, name="order.pdf"),
        upload_whole(client, samples.image_bytes("JPEG"), name="p.jpg"),
    )
    response = client.post(f"/documents/file/{file.pk}/upload/", {"title": "", "resumable-files": [one, two]})
    assert response.status_code == 302 and said(response) == ["2 documents uploaded."]
    with district_context("vaishali"):
        versions = list(DocumentVersion.objects.filter(document__file=file).order_by("id"))
        assert [v.original_name for v in versions] == ["order.pdf", "p.jpg"]
        assert versions[0].sha256 == hashlib.sha256(PDF).hexdigest() and versions[0].size == len(PDF)
        event = AuditEvent.objects.filter(action="document.upload").order_by("id").first()
        assert event.details["sha256"] == versions[0].sha256
    left = every_file(media)
    assert all("/documents/" in name for name in left) and len(left) == 4  # two files, two previews


def test_a_second_sending_of_the_form_adds_nothing(ef, media):
    file = new_file(ef)
    client = ef.client("clerk")
    upload_id = upload_whole(client, PDF)
    url = f"/documents/file/{file.pk}/upload/"
    assert said(client.post(url, {"resumable-files": upload_id})) == ["1 document uploaded."]
    again = said(client.post(url, {"resumable-files": upload_id}))
    assert len(again) == 1 and "no longer on the server" in again[0]
    with district_context("vaishali"):
        assert Document.objects.filter(file=file).count() == 1


def test_a_renamed_program_is_refused_after_assembly_and_leaves_nothing(ef, media):
    file = new_file(ef)
    client = ef.client("clerk")
    good, bad = upload_whole(client, PDF, name="good.pdf"), upload_whole(client, PROGRAM, name="scan.pdf")
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "hi"
    response = client.post(f"/documents/file/{file.pk}/upload/", {"resumable-files": [good, bad]})
    messages = said(response)
    assert len(messages) == 1 and messages[0].startswith("scan.pdf: ")
    assert messages[0] == "scan.pdf: केवल PDF, JPEG, PNG और TIFF फ़ाइलें स्वीकार की जाती हैं।"  # in her language
    with district_context("vaishali"):
        assert not Document.objects.filter(file=file).exists()
        assert not AuditEvent.objects.filter(action="document.upload").exists()
    assert every_file(media) == []  # no document, no partial, no temporary file


def test_another_persons_upload_cannot_be_used_and_stays_theirs(ef, media):
    file = new_file(ef)
    owner, other = ef.client("sp"), ef.client("clerk")
    upload_id = upload_whole(owner, PDF)
    response = other.post(f"/documents/file/{file.pk}/upload/", {"resumable-files": upload_id})
    assert "no longer on the server" in said(response)[0]
    with district_context("vaishali"):
        assert not Document.objects.exists()
        assert partials.partial_get(person_id=ef.people["sp"].pk, upload_id=upload_id).complete


def test_an_unfinished_or_expired_upload_is_refused_and_nothing_is_half_written(ef, media, monkeypatch):
    file = new_file(ef)
    client = ef.client("clerk")
    begun = create(client, PDF)["Location"]
    patch(client, begun, PDF[:100], offset=0)
    unfinished = begun.strip("/").rsplit("/", 1)[-1]
    done = upload_whole(client, PDF)
    url = f"/documents/file/{file.pk}/upload/"
    response = client.post(url, {"resumable-files": [done, unfinished]})
    assert "no longer on the server" in said(response)[0]
    with district_context("vaishali"):
        assert not Document.objects.exists()
    later = time.time() + partials.EXPIRE_SECONDS + 1
    monkeypatch.setattr(partials.time, "time", lambda: later)
    done_again = upload_whole(client, PDF)  # begun "later", so not expired
    monkeypatch.undo()
    # The finished upload named with the unfinished one was used up by that refused sending.
    assert "no longer on the server" in said(client.post(url, {"resumable-files": done}))[0]
    monkeypatch.setattr(partials.time, "time", lambda: later + partials.EXPIRE_SECONDS)
    assert "no longer on the server" in said(client.post(url, {"resumable-files": done_again}))[0]
    with district_context("vaishali"):
        assert not Document.objects.exists()


@pytest.mark.parametrize("value", ["../../etc/passwd", "0" * 31, "", "x" * 5000])
def test_nonsense_upload_names_are_refused(ef, media, value):
    file = new_file(ef)
    response = ef.client("clerk").post(f"/documents/file/{file.pk}/upload/", {"resumable-files": value})
    assert response.status_code == 302 and "no longer on the server" in said(response)[0]


def test_too_many_names_are_refused_before_any_is_used(ef, media):
    file = new_file(ef)
    client = ef.client("clerk")
    upload_id = upload_whole(client, PDF)
    response = client.post(f"/documents/file/{file.pk}/upload/", {"resumable-files": [upload_id] * 41})
    assert "at most" in said(response)[0]
    with district_context("vaishali"):
        assert partials.partial_get(person_id=ef.people["clerk"].pk, upload_id=upload_id).complete


def test_a_user_of_another_district_cannot_use_an_upload_id_on_a_file_here(ef, media):
    file = new_file(ef)
    upload_id = upload_whole(ef.client("clerk"), PDF)
    response = ef.client("other").post(f"/documents/file/{file.pk}/upload/", {"resumable-files": upload_id})
    assert response.status_code == 404
    with district_context("vaishali"):
        assert partials.partial_get(person_id=ef.people["clerk"].pk, upload_id=upload_id).complete


def test_a_new_version_through_a_resumable_upload(ef, media):
    file = new_file(ef)
    with district_context("vaishali"):
        [document] = document_upload(actor=ef.actor("clerk"), file=file, uploads=[upload("a.pdf", PDF)])
    client = ef.client("clerk")
    second = samples.pdf_bytes(3)
    upload_id = upload_whole(client, second, name="a-v2.pdf")
    response = client.post(f"/documents/{document.pk}/versions/new/", {"resumable-file": upload_id})
    assert said(response) == ["Version 2 of a uploaded."]
    with district_context("vaishali"):
        version = document.versions.get(number=2)
        assert version.sha256 == hashlib.sha256(second).hexdigest()


def test_a_digitisation_batch_through_resumable_uploads(ef, media, old_cases):  # noqa: F811
    client = ef.client("si")
    zip_id = upload_whole(client, make_zip({"a.pdf": PDF}), name="scans.zip")
    manifest_id = upload_whole(client, make_manifest([["PSMAH", "2009", "10", "a.pdf", "FIR"]]), name="m.csv")
    response = client.post(
        "/cases/digitisation/batches/", {"resumable-zip": zip_id, "resumable-manifest": manifest_id}
    )
    with district_context("vaishali"):
        batch = DigitisationBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/digitisation/batches/{batch.pk}/"
    assert (batch.zip_name, batch.manifest_name, batch.rows_total) == ("scans.zip", "m.csv", 1)
    assert not [name for name in every_file(media) if "/resumable/" in name or "/tmp/" in name]
