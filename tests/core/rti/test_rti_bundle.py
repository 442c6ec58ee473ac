"""The reply's PDF and zip, made by the background task for real: letter first then every page of
the disclosed documents, the originals in the zip with their SHA-256, a corrupt stored document
failing the reply with nothing stored; and the downloads, only for whoever sees the application."""

import hashlib
import io
import zipfile

import pypdf
from django.template.loader import render_to_string
from django.test import RequestFactory

from core.base.storage import stored_path
from core.models import AuditEvent, RtiReply
from core.rti.services.bundle import safe_name
from core.rti.tasks import rti_reply_bundle_task
from tenants.context import district_context
from tenants.storage import district_media_dir
from tests.core.rti.test_rti_receive import receive
from tests.core.rti.test_rti_reply import (
    APPLICANT,
    a_pdf_and_an_image,
    muzaffarpur_application,
    rejection,
    reply,
)
from tests.helpers import HostClient, next_id_in_both_districts


def made(reply_id: int) -> RtiReply:
    """Run the task here (as the worker would) and read the reply again."""
    rti_reply_bundle_task.call_local("vaishali", reply_id=reply_id)
    with district_context("vaishali"):
        return RtiReply.objects.get(pk=reply_id)


def stored_files() -> set:
    root = district_media_dir("vaishali") / "documents"
    return {path for path in root.rglob("*") if path.is_file()} if root.is_dir() else set()


def read(name: str) -> bytes:
    with district_context("vaishali"):
        return stored_path(name).read_bytes()


def pdf_text(data: bytes, page: int = 0) -> str:
    return pypdf.PdfReader(io.BytesIO(data)).pages[page].extract_text()


def test_the_task_makes_one_pdf_of_the_letter_and_every_page_disclosed_and_a_zip_of_originals(ef):
    with district_context("vaishali"):
        application = receive(ef)
        documents = a_pdf_and_an_image(ef)
        versions = {document.versions.get().original_name: document.versions.get() for document in documents}
        queued = reply(ef, application, documents=documents)
    ready = made(queued.pk)
    assert ready.status == RtiReply.Status.READY and ready.error == ""
    pdf, archive = read(ready.pdf_stored), read(ready.zip_stored)
    assert hashlib.sha256(pdf).hexdigest() == ready.pdf_sha256
    assert hashlib.sha256(archive).hexdigest() == ready.zip_sha256
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        names = zipped.namelist()
        letter = zipped.read(names[0])
        assert names[0].startswith("00-") and names[0].endswith("letter.pdf")
        assert names[1:] == ["01-order.pdf", "02-scan.png"]
        for name in names[1:]:
            original = versions[name[3:]]
            assert hashlib.sha256(zipped.read(name)).hexdigest() == original.sha256
    letter_pages = len(pypdf.PdfReader(io.BytesIO(letter)).pages)
    assert letter_pages >= 1
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == letter_pages + 2 + 1  # 2-page PDF, 1 image
    assert APPLICANT in pdf_text(pdf) and application.number in pdf_text(pdf)
    # Run again (a retry, a second worker): nothing changes, nothing more is stored.
    before = stored_files()
    again = made(queued.pk)
    assert (again.pdf_stored, again.zip_stored, again.status) == (ready.pdf_stored, ready.zip_stored, "ready")
    assert stored_files() == before


def test_a_rejection_letter_names_the_section_and_where_to_appeal(ef):
    with district_context("vaishali"):
        application = receive(ef)
        queued = reply(ef, application, language="en", **rejection())
    ready = made(queued.pk)
    text = pdf_text(read(ready.pdf_stored))
    assert APPLICANT in text
    assert "8(1)(h)" in text and "Superintendent of Police, Vaishali" in text and "30 days" in text
    assert "refused under section" in text


def test_a_corrupt_stored_document_fails_the_reply_and_leaves_nothing_stored(ef):
    with district_context("vaishali"):
        application = receive(ef)
        documents = a_pdf_and_an_image(ef)
        queued = reply(ef, application, documents=documents)
        version = documents[0].versions.get()
        stored_path(version.stored_name).write_bytes(b"%PDF-1.4 not what was uploaded")
    before = stored_files()
    failed = made(queued.pk)
    assert failed.status == RtiReply.Status.FAILED and "changed" in failed.error
    assert failed.pdf_stored == failed.zip_stored == "" and failed.pdf_sha256 == ""
    assert stored_files() == before


def test_the_task_tolerates_a_reply_that_is_gone(ef):
    assert rti_reply_bundle_task.call_local("vaishali", reply_id=987654321) is None


def test_zip_names_are_safe():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("..\\a:b*?.pdf") == "a_b__.pdf"
    assert safe_name(".hidden\x00.png") == "hidden.png"
    assert safe_name("") == "document"


# --- downloads ---------------------------------------------------------------------------------


def test_whoever_sees_the_application_downloads_the_ready_reply_and_the_read_is_audited(ef):
    with district_context("vaishali"):
        application = receive(ef)
        queued = reply(ef, application, documents=a_pdf_and_an_image(ef))
    base = f"/rti/{application.pk}/replies/{queued.pk}"
    assert ef.client("pio").get(f"{base}/letter.pdf").status_code == 404  # not ready yet
    ready = made(queued.pk)
    for key in ("pio", "clerk", "sp"):
        response = ef.client(key).get(f"{base}/letter.pdf")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == read(ready.pdf_stored)
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in response["Content-Disposition"]
    response = ef.client("clerk").get(f"{base}/bundle.zip")
    assert response.status_code == 200 and b"".join(response.streaming_content) == read(ready.zip_stored)
    assert ef.client("clerk").post(f"{base}/bundle.zip").status_code == 405
    with district_context("vaishali"):
        events = AuditEvent.objects.filter(action="rti.reply_download").order_by("id")
        assert [event.details["file"] for event in events] == ["pdf", "pdf", "pdf", "zip"]
        assert events[0].post_id == ef.posts["pio"].pk and events[1].post_id == ef.posts["clerk"].pk


def test_downloads_are_404_for_outsiders_with_ids_in_both_districts(ef):
    shared = next_id_in_both_districts("core_rtiapplication")
    with district_context("vaishali"):
        application = receive(ef)
        queued = reply(ef, application)
    other = muzaffarpur_application(ef)
    assert application.pk == other.pk == shared
    made(queued.pk)
    outsiders = {key: ef.client(key) for key in ("sdpo", "mahnar", "si", "other")}
    outsiders["anonymous"] = HostClient("vaishali")
    for who, client in outsiders.items():
        for name in ("letter.pdf", "bundle.zip"):
            response = client.get(f"/rti/{shared}/replies/{queued.pk}/{name}")
            assert response.status_code == 404, (who, name)
    # A reply id of another application is 404 even to the PIO.
    with district_context("vaishali"):
        second = receive(ef)
    assert ef.client("pio").get(f"/rti/{second.pk}/replies/{queued.pk}/letter.pdf").status_code == 404
    with district_context("vaishali"):
        assert not AuditEvent.objects.filter(action="rti.reply_download").exists()


def test_the_replies_partial_lists_replies_with_their_links(ef):
    with district_context("vaishali"):
        application = receive(ef)
        queued = reply(ef, application, **rejection())
        request = RequestFactory().get("/")
        context = {"application": application, "replies": application.replies.all(), "can_reply": True}
        html = render_to_string("core/rti/_replies.html", context, request=request)
        assert "being prepared" in html and "letter.pdf" not in html
        assert "8(1)(h)" in html
    made(queued.pk)
    with district_context("vaishali"):
        html = render_to_string("core/rti/_replies.html", context | {"replies": application.replies.all()})
        assert f"/rti/{application.pk}/replies/{queued.pk}/letter.pdf" in html and "bundle.zip" in html
        fresh = receive(ef)
        html = render_to_string(
            "core/rti/_replies.html", {"application": fresh, "replies": [], "can_reply": True}
        )
        assert f"/rti/{fresh.pk}/reply/" in html
        html = render_to_string(
            "core/rti/_replies.html", {"application": fresh, "replies": [], "can_reply": False}
        )
        assert f"/rti/{fresh.pk}/reply/" not in html
