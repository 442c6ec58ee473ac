"""Uploading documents: several at once, all or nothing, versions, refusals that leave nothing behind
(no row, no stored file, no temporary file), through the services and through the upload page."""

import hashlib
import re

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError

from core.base.storage import stored_path
from core.efile.services import documents as document_services
from core.efile.services.documents import document_upload, document_version_add
from core.models import AuditEvent, Document, DocumentVersion, EFile
from tenants.context import district_context
from tests.core.efile import samples
from tests.core.efile.filework import dak_of, gen_file
from tests.core.efile.samples import upload


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def new_file(ef, key="clerk", subject="E-Office rollout, phase 1"):
    return gen_file(ef.actor(key), ef.posts[key], subject)


def stored_files(media) -> list[str]:
    """Every file under the districts' storage, temporary uploads included."""
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def test_several_files_become_documents_with_hash_preview_and_audit(ef, media):
    pdf, png = samples.pdf_bytes(2), samples.image_bytes("PNG")
    with district_context("vaishali"):
        file = new_file(ef)
        documents = document_upload(
            actor=ef.actor("clerk"),
            file=file,
            uploads=[upload("आदेश पत्र.pdf", pdf), upload("../../etc/scan\x07.png", png)],
        )
        assert [d.title for d in documents] == ["आदेश पत्र", "scan"]
        versions = [d.versions.get() for d in documents]
        assert [(v.number, v.original_name, v.content_type, v.pages) for v in versions] == [
            (1, "आदेश पत्र.pdf", "application/pdf", 2),
            (1, "scan.png", "image/png", 1),
        ]
        for version, data in zip(versions, (pdf, png), strict=True):
            assert re.fullmatch(r"documents/\d{4}/\d{2}/[0-9a-f]{32}", version.stored_name)
            assert version.sha256 == hashlib.sha256(data).hexdigest() and version.size == len(data)
            assert stored_path(version.stored_name).read_bytes() == data
            assert stored_path(version.preview_name).read_bytes().startswith(b"\x89PNG")
            assert version.uploaded_post == ef.posts["clerk"]
        events = list(AuditEvent.objects.filter(action="document.upload").order_by("id"))
        assert [(e.target_id, e.post_id) for e in events] == [
            (str(d.pk), ef.posts["clerk"].pk) for d in documents
        ]
        assert events[0].details["sha256"] == versions[0].sha256
    # Only the two stored files and their previews: no temporary file left.
    assert len(stored_files(media)) == 4
    assert all("/documents/" in name for name in stored_files(media))


def test_one_title_for_several_files_names_each(ef):
    with district_context("vaishali"):
        file = new_file(ef)
        one = document_upload(
            actor=ef.actor("clerk"),
            file=file,
            uploads=[upload("a.png", samples.image_bytes())],
            title="Reply",
        )
        two = document_upload(
            actor=ef.actor("clerk"),
            file=file,
            uploads=[
                upload("p1.jpg", samples.image_bytes("JPEG")),
                upload("p2.jpg", samples.image_bytes("JPEG")),
            ],
            title="Annexure",
        )
    assert [d.title for d in one + two] == ["Reply", "Annexure: p1", "Annexure: p2"]


BAD = [
    ("polyglot.png", samples.png_html_polyglot(), "refused"),
    ("letter.pdf", samples.HTML, "web page"),
    ("drawing.svg", samples.SVG, "SVG"),
    ("empty.pdf", b"", "empty"),
    ("truncated.pdf", samples.truncated_pdf_bytes(), "damaged"),
    ("encrypted.pdf", samples.encrypted_pdf_bytes(), "encrypted"),
]


@pytest.mark.parametrize(("name", "data", "says"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_file_refuses_the_whole_upload_and_leaves_nothing(ef, media, name, data, says):
    with district_context("vaishali"):
        file = new_file(ef)
        before = (Document.objects.count(), DocumentVersion.objects.count(), AuditEvent.objects.count())
        with pytest.raises(ValidationError) as refused:
            document_upload(
                actor=ef.actor("clerk"),
                file=file,
                uploads=[upload("good.pdf", samples.pdf_bytes()), upload(name, data)],
            )
        messages = refused.value.message_dict["uploads"]
        assert len(messages) == 1 and messages[0].startswith(f"{name}: ") and says in messages[0]
        assert (
            Document.objects.count(),
            DocumentVersion.objects.count(),
            AuditEvent.objects.count(),
        ) == before
    assert stored_files(media) == []


def test_every_refusal_is_listed(ef):
    with district_context("vaishali"):
        file = new_file(ef)
        with pytest.raises(ValidationError) as refused:
            document_upload(
                actor=ef.actor("clerk"),
                file=file,
                uploads=[
                    upload("a.svg", samples.SVG),
                    upload("b.pdf", b""),
                    upload("c.png", samples.image_bytes()),
                ],
            )
    assert [m.split(":")[0] for m in refused.value.message_dict["uploads"]] == ["a.svg", "b.pdf"]


def test_oversize_is_refused_by_the_service_too(ef, media, settings):
    settings.KARYALAY_UPLOAD_MAX_MB = 1
    big = samples.image_bytes("PNG") + b"\x00" * (1024 * 1024)
    with district_context("vaishali"):
        file = new_file(ef)
        with pytest.raises(ValidationError) as refused:
            document_upload(actor=ef.actor("clerk"), file=file, uploads=[upload("big.png", big)])
        assert "larger than 1 MB" in refused.value.message_dict["uploads"][0]
        assert not Document.objects.exists()
    assert stored_files(media) == []


def test_only_a_holder_of_the_items_post_may_upload(ef, media):
    with district_context("vaishali"):
        file = new_file(ef)
        for key in ("sp", "sdpo", "pio"):  # the SP sees every file, but does not hold this one
            with pytest.raises(ValidationError):
                document_upload(
                    actor=ef.actor(key), file=file, uploads=[upload("a.png", samples.image_bytes())]
                )
        with pytest.raises(ValidationError):
            document_upload(actor=ef.actor("clerk"), file=file, uploads=[])
        with pytest.raises(ValidationError):
            document_upload(
                actor=ef.actor("clerk"),
                file=file,
                uploads=[upload("a.png", samples.image_bytes())],
                title="a\x00b",
            )
        EFile.objects.filter(pk=file.pk).update(status=EFile.Status.CLOSED)
        with pytest.raises(ValidationError) as refused:
            document_upload(
                actor=ef.actor("clerk"), file=file, uploads=[upload("a.png", samples.image_bytes())]
            )
        assert "closed" in refused.value.messages[0]
        assert not Document.objects.exists()
    assert stored_files(media) == []


def test_a_receipts_scanned_copy_is_a_document_of_the_receipt(ef):
    with district_context("vaishali"):
        receipt = dak_of(ef, subject="Letter")
        (document,) = document_upload(
            actor=ef.actor("clerk"),
            receipt=receipt,
            uploads=[upload("scan.tif", samples.image_bytes("TIFF"))],
        )
        assert (document.receipt, document.file) == (receipt, None)
        assert document.versions.get().content_type == "image/tiff"
        assert (
            AuditEvent.objects.filter(action="document.upload", target_id=str(document.pk))
            .get()
            .details["receipt"]
            == receipt.diary_number
        )


def test_new_versions_keep_the_old_ones(ef, media):
    first, second = samples.pdf_bytes(1), samples.pdf_bytes(4)
    with district_context("vaishali"):
        file = new_file(ef)
        (document,) = document_upload(
            actor=ef.actor("clerk"), file=file, uploads=[upload("draft.pdf", first)]
        )
        version = document_version_add(
            actor=ef.actor("clerk"), document=document, upload=upload("draft-final.pdf", second)
        )
        assert (version.number, version.pages, version.original_name) == (2, 4, "draft-final.pdf")
        old = document.versions.get(number=1)
        assert stored_path(old.stored_name).read_bytes() == first
        assert stored_path(version.stored_name).read_bytes() == second
        assert (
            AuditEvent.objects.filter(action="document.version_add", target_id=str(document.pk)).count() == 1
        )
        with pytest.raises(ValidationError):  # a bad version is refused, and the document stays as it was
            document_version_add(
                actor=ef.actor("clerk"), document=document, upload=upload("x.pdf", samples.HTML)
            )
        with pytest.raises(ValidationError):
            document_version_add(actor=ef.actor("sp"), document=document, upload=upload("y.pdf", first))
        assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    assert len(stored_files(media)) == 4


def test_files_moved_into_place_are_removed_when_the_transaction_fails(ef, media, monkeypatch):
    def broken_audit(**kwargs):
        raise RuntimeError("the database went away")

    with district_context("vaishali"):
        file = new_file(ef)
        monkeypatch.setattr(document_services, "audit_append", broken_audit)
        with pytest.raises(RuntimeError):
            document_upload(
                actor=ef.actor("clerk"),
                file=file,
                uploads=[upload("a.pdf", samples.pdf_bytes()), upload("b.png", samples.image_bytes())],
            )
        assert not Document.objects.exists()
    assert stored_files(media) == []


# --- Through the upload page -----------------------------------------------------------------


def _messages(response) -> list[str]:
    """The messages this response left for the next page (the sign-in's greeting aside). The test
    never opens that page, so the messages cookie is dropped here for the next request."""
    said = [str(m) for m in get_messages(response.wsgi_request)]
    response.client.cookies.pop("messages", None)
    return [m for m in said if not m.startswith("Successfully signed in")]


def test_upload_page_stores_several_files_and_leaves_no_temporary_file(ef, media):
    with district_context("vaishali"):
        file = new_file(ef)
    client = ef.client("clerk")
    response = client.post(
        f"/documents/file/{file.pk}/upload/",
        {
            "title": "",
            "files": [upload("one.pdf", samples.pdf_bytes()), upload("two.jpg", samples.image_bytes("JPEG"))],
        },
    )
    assert response.status_code == 302 and response.url == f"/files/{file.pk}/"
    assert _messages(response) == ["2 documents uploaded."]
    with district_context("vaishali"):
        versions = list(DocumentVersion.objects.filter(document__file=file).order_by("id"))
        assert [v.original_name for v in versions] == ["one.pdf", "two.jpg"]
        assert versions[0].sha256 == hashlib.sha256(samples.pdf_bytes()).hexdigest()
    assert not [name for name in stored_files(media) if "/tmp/" in name]
    assert len(stored_files(media)) == 4


def test_upload_page_shows_each_refusal_and_keeps_nothing(ef, media):
    with district_context("vaishali"):
        file = new_file(ef)
    client = ef.client("clerk")
    response = client.post(
        f"/documents/file/{file.pk}/upload/",
        {
            "files": [
                upload("ok.pdf", samples.pdf_bytes()),
                upload("letter.pdf", samples.HTML),
                upload("x.svg", samples.SVG),
            ]
        },
    )
    assert response.status_code == 302
    said = _messages(response)
    assert len(said) == 2 and "web page" in said[0] and "SVG" in said[1]
    with district_context("vaishali"):
        assert not Document.objects.exists()
    assert stored_files(media) == []
    # Nothing chosen, a title with NUL, a kind of item that does not exist: said, never a 500.
    assert client.post(f"/documents/file/{file.pk}/upload/", {}).status_code == 302
    assert (
        client.post(
            f"/documents/file/{file.pk}/upload/",
            {"title": "a\x00", "files": [upload("a.png", samples.image_bytes())]},
        ).status_code
        == 302
    )
    assert client.post(f"/documents/folder/{file.pk}/upload/", {}).status_code == 404
    with district_context("vaishali"):
        assert not Document.objects.exists()


def test_oversize_upload_is_stopped_while_streaming(ef, media, settings):
    settings.KARYALAY_UPLOAD_MAX_MB = 1
    with district_context("vaishali"):
        file = new_file(ef)
    big = samples.image_bytes("PNG") + b"\x00" * (2 * 1024 * 1024)
    response = ef.client("clerk").post(
        f"/documents/file/{file.pk}/upload/",
        {"files": [upload("small.png", samples.image_bytes()), upload("big.png", big)]},
    )
    assert response.status_code == 302
    assert _messages(response) == ["big.png is larger than 1 MB, the most one upload may be."]
    with district_context("vaishali"):
        assert not Document.objects.exists()
    assert stored_files(media) == []


def _multipart(file_name: str, data: bytes, boundary: str = "KaryalayBoundary") -> bytes:
    return (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{file_name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )


def test_an_upload_cut_off_half_way_leaves_nothing(ef, media):
    with district_context("vaishali"):
        file = new_file(ef)
    body = _multipart("scan.pdf", samples.pdf_bytes(20))
    client = ef.client("clerk")
    response = client.generic(
        "POST",
        f"/documents/file/{file.pk}/upload/",
        body[: len(body) // 2],
        content_type="multipart/form-data; boundary=KaryalayBoundary",
    )
    assert response.status_code == 302
    with district_context("vaishali"):
        assert not Document.objects.exists()
    assert stored_files(media) == []


class _DroppedConnection:
    """A request body whose client goes away after ``cut`` bytes (the server's read fails)."""

    def __init__(self, data: bytes, cut: int):
        self.data, self.cut, self.pos = data, cut, 0

    def read(self, size=-1):
        if self.pos >= self.cut:
            raise OSError("client disconnected")
        end = min(self.cut, len(self.data) if size is None or size < 0 else self.pos + size)
        chunk, self.pos = self.data[self.pos : end], end
        return chunk

    def readline(self, size=-1):
        return self.read(size)


def test_a_dropped_connection_leaves_no_temporary_file(ef, media):
    with district_context("vaishali"):
        file = new_file(ef)
    body = _multipart("scan.png", samples.image_bytes("PNG", size=(800, 800)) + b"\x00" * 300_000)
    client = ef.client("clerk")
    response = client.generic(
        "POST",
        f"/documents/file/{file.pk}/upload/",
        b"",
        content_type="multipart/form-data; boundary=KaryalayBoundary",
        **{"wsgi.input": _DroppedConnection(body, 200_000), "CONTENT_LENGTH": str(len(body))},
    )
    assert response.status_code in (302, 400, 403)
    with district_context("vaishali"):
        assert not Document.objects.exists()
    assert stored_files(media) == []


def test_new_version_through_the_page(ef, media):
    with district_context("vaishali"):
        file = new_file(ef)
        (document,) = document_upload(
            actor=ef.actor("clerk"), file=file, uploads=[upload("a.pdf", samples.pdf_bytes())]
        )
    client = ef.client("clerk")
    response = client.post(
        f"/documents/{document.pk}/versions/new/", {"file": upload("b.png", samples.image_bytes())}
    )
    assert response.status_code == 302 and _messages(response) == [f"Version 2 of {document.title} uploaded."]
    response = client.post(f"/documents/{document.pk}/versions/new/", {})
    assert _messages(response) == ["Choose one file for the new version."]
    response = client.post(
        f"/documents/{document.pk}/versions/new/", {"file": upload("c.pdf", samples.encrypted_pdf_bytes())}
    )
    assert "encrypted" in _messages(response)[0]
    with district_context("vaishali"):
        assert document.versions.count() == 2


def test_an_officer_who_sees_but_does_not_hold_the_file_is_told_so(ef, media):
    with district_context("vaishali"):
        file = new_file(ef)
    response = ef.client("sp").post(
        f"/documents/file/{file.pk}/upload/", {"files": [upload("a.png", samples.image_bytes())]}
    )
    assert response.status_code == 302 and "not at your post" in _messages(response)[0]
    with district_context("vaishali"):
        assert not Document.objects.exists()
    assert stored_files(media) == []
