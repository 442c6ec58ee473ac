"""A stored file is offered under the type its content was checked to be, never the uploader's
suffix: a real PDF uploaded as notice.hta, .html or .exe is saved as notice.pdf (in the ASCII
filename and in filename*), on every path a stored file is handed out (downloads, previews, OCR
page images, behind nginx, the RTI reply's zip of originals)."""

import io
import zipfile
from urllib.parse import quote

import pytest

from core.base.serving import download_name
from core.base.uploads.filecheck import JPEG, PDF, PNG
from core.efile.services.documents import document_upload
from core.models import DocumentVersion
from core.rti.services.bundle import _Original, bundle_zip
from tenants.context import district_context
from tests.core.efile import samples
from tests.core.efile.filework import gen_file
from tests.core.efile.samples import upload


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KARYALAY_X_ACCEL_PREFIX = ""
    return settings.MEDIA_ROOT


def pdf_with_markup_past_the_sniffed_bytes() -> bytes:
    """A valid PDF with an HTML application after byte 2048 (a comment in its page's content): a
    browser that opened the saved file as .hta or .html would run it."""
    page = b"% <html><script>new ActiveXObject('WScript.Shell').Run('calc')</script></html>"
    content = b"% " + b"x" * 2100 + b"\n" + page + b"\n0 0 m 100 100 l S"
    data = samples.pdf_of(samples.pdf_page_objects(content=content))
    assert data.index(b"<html>") > 2048
    return data


def _document(ef, name: str, data: bytes):
    with district_context("vaishali"):
        file = gen_file(ef.actor("clerk"), ef.posts["clerk"], "Notices")
        (document,) = document_upload(actor=ef.actor("clerk"), file=file, uploads=[upload(name, data)])
    return document


@pytest.mark.parametrize("suffix", [".hta", ".html", ".exe", ".HTA", ""])
def test_a_pdf_uploaded_under_another_suffix_is_downloaded_as_a_pdf(ef, suffix):
    document = _document(ef, f"notice{suffix}", pdf_with_markup_past_the_sniffed_bytes())
    response = ef.client("clerk").get(f"/documents/{document.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == "attachment; filename=\"notice.pdf\"; filename*=utf-8''notice.pdf"
    )
    # The uploader's name is still shown on the file's page; only the saved name changes.
    with district_context("vaishali"):
        assert document.versions.get().original_name == f"notice{suffix}"


def test_a_hindi_name_keeps_its_stem_in_filename_star_and_both_names_end_in_pdf(ef):
    document = _document(ef, "सूचना.hta", samples.pdf_bytes())
    disposition = ef.client("clerk").get(f"/documents/{document.pk}/download/")["Content-Disposition"]
    ascii_part, star_part = disposition.split("; filename*=utf-8''")
    assert ascii_part == 'attachment; filename="document.pdf"'
    assert star_part == quote("सूचना.pdf") and star_part.endswith(".pdf")


def test_an_image_uploaded_as_a_page_is_downloaded_under_its_image_type(ef):
    document = _document(ef, "photo.html", samples.image_bytes("JPEG"))
    response = ef.client("clerk").get(f"/documents/{document.pk}/download/")
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == "attachment; filename=\"photo.jpg\"; filename*=utf-8''photo.jpg"


def test_previews_and_ocr_page_images_are_named_png(ef):
    document = _document(ef, "notice.hta", samples.pdf_bytes())
    client = ef.client("clerk")
    preview = client.get(f"/documents/{document.pk}/v1/preview.png")
    assert preview["Content-Disposition"] == "inline; filename=\"notice.png\"; filename*=utf-8''notice.png"
    page = client.get(f"/documents/{document.pk}/v1/pages/1.png")
    assert page.status_code == 200 and page["Content-Type"] == "image/png"
    assert page["Content-Disposition"] == (
        "inline; filename=\"notice-page-1.png\"; filename*=utf-8''notice-page-1.png"
    )
    assert page["X-Content-Type-Options"] == "nosniff" and page["Content-Security-Policy"].startswith(
        "sandbox;"
    )


def test_behind_nginx_the_name_is_the_checked_types_too(ef, settings):
    settings.KARYALAY_X_ACCEL_PREFIX = "/protected/"
    document = _document(ef, "notice.exe", samples.pdf_bytes())
    response = ef.client("clerk").get(f"/documents/{document.pk}/download/")
    assert response["X-Accel-Redirect"].startswith("/protected/")
    assert (
        response["Content-Disposition"] == "attachment; filename=\"notice.pdf\"; filename*=utf-8''notice.pdf"
    )


def test_the_rti_replys_zip_names_originals_by_their_checked_type():
    originals = [
        _Original("a", DocumentVersion(original_name="notice.hta", content_type=PDF), b"%PDF-"),
        _Original("b", DocumentVersion(original_name="..\\scan.exe", content_type=PNG), b"png"),
    ]
    with zipfile.ZipFile(io.BytesIO(bundle_zip(b"%PDF-", "letter.pdf", originals))) as archive:
        assert archive.namelist() == ["00-letter.pdf", "01-notice.pdf", "02-scan.png"]


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("notice.hta", PDF, "notice.pdf"),
        ("notice.pdf.exe", PDF, "notice.pdf.pdf"),
        ("../../etc/passwd", JPEG, "passwd.jpg"),
        ("C:\\Users\\x\\scan.HTML", PNG, "scan.png"),
        ('a<b>:"c|d?*.tif', PDF, "a_b___c_d__.pdf"),
        ("line\nbreak\x07.hta", PDF, "linebreak.pdf"),
        (".hta", PDF, "hta.pdf"),
        ("...", PDF, "document.pdf"),
        ("", PDF, "document.pdf"),
        ("x" * 300 + ".hta", PDF, "x" * 120 + ".pdf"),
        ("reply.zip", "application/zip", "reply.zip"),
    ],
)
def test_download_name_keeps_the_stem_and_takes_the_checked_extension(name, content_type, expected):
    assert download_name(name, content_type) == expected
