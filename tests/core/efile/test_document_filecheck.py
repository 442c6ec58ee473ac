"""Type by content: what the upload accepts, what it refuses and why, and the page-one previews."""

import io
import os

import pytest
from PIL import Image

from core.base.uploads.filecheck import JPEG, PDF, PNG, TIFF, FileRefused, file_check
from core.base.uploads.previews import PREVIEW_SIZE, preview_make
from tests.core.efile import samples


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "content_type", "pages"),
    [
        ("letter.pdf", samples.pdf_bytes(3), PDF, 3),
        ("scan.jpg", samples.image_bytes("JPEG"), JPEG, 1),
        ("scan.png", samples.image_bytes("PNG"), PNG, 1),
        ("scan.tif", samples.image_bytes("TIFF"), TIFF, 1),
        # The name does not matter, only the content.
        ("scan.pdf", samples.image_bytes("PNG"), PNG, 1),
        ("पत्र", samples.pdf_bytes(), PDF, 1),
    ],
)
def test_accepted_types_are_found_by_content(tmp_path, name, data, content_type, pages):
    checked = file_check(_write(tmp_path, "upload", data), name=name)
    assert (checked.content_type, checked.pages) == (content_type, pages)


def _noisy_png() -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3)).save(out, format="PNG")
    return out.getvalue()


REFUSALS = [
    ("html.pdf", samples.HTML, "html", "web page"),
    ("drawing.svg", samples.SVG, "svg", "SVG"),
    ("drawing.png", b"\n  " + samples.SVG, "svg", "SVG"),
    ("empty.pdf", b"", "empty", "empty"),
    ("notes.txt", b"just some text", "type", "only PDF, JPEG, PNG and TIFF"),
    ("archive.pdf", b"PK\x03\x04" + b"\x00" * 100, "type", "only PDF"),
    ("polyglot.png", samples.png_html_polyglot(), "polyglot", "refused"),
    ("script.png", samples.png_with_script_text(), "polyglot", "web page (HTML) markup"),
    # Markup far beyond the first bytes, after the image's last chunk: caught by the PNG walk.
    ("tail.png", _noisy_png() + b"<html><script>alert(1)</script></html>", "polyglot", "after its image"),
    ("tail2.png", _noisy_png() + b"\x00" * 10, "polyglot", "after its image"),
    ("truncated.pdf", samples.truncated_pdf_bytes(), "damaged", "damaged or incomplete"),
    ("garbage.pdf", b"%PDF-1.7\n" + os.urandom(3000) + b"\n%%EOF\n", "damaged", "damaged"),
    ("encrypted.pdf", samples.encrypted_pdf_bytes(), "encrypted", "encrypted"),
    ("cut.jpg", samples.image_bytes("JPEG", size=(300, 300))[:200], "damaged", "damaged"),
    ("cut.png", samples.image_bytes("PNG", size=(300, 300))[:60], "damaged", "damaged"),
    ("html-jpeg.jpg", b"\xff\xd8\xff\xe0<html><body>x</body></html>", "polyglot", "markup"),
]


@pytest.mark.parametrize(("name", "data", "code", "says"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_say_why(tmp_path, name, data, code, says):
    with pytest.raises(FileRefused) as refused:
        checked = file_check(_write(tmp_path, "upload", data), name=name)
        # A file the checks let through must at least be drawable; the preview refuses the rest.
        preview_make(
            tmp_path / "upload", content_type=checked.content_type, target=tmp_path / "p.png", name=name
        )
    assert refused.value.code == code
    message = " ".join(refused.value.messages)
    assert message.startswith(f"{name}: ")
    if says:
        assert says in message
    assert not (tmp_path / "p.png").exists()


def test_oversize_is_refused_before_anything_is_read(tmp_path):
    path = _write(tmp_path, "upload", samples.pdf_bytes())
    with pytest.raises(FileRefused) as refused:
        file_check(path, name="big.pdf", max_bytes=100)
    assert refused.value.code == "too_large"


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (samples.pdf_bytes(2), PDF),
        (samples.image_bytes("JPEG", size=(2400, 1600)), JPEG),
        (samples.image_bytes("PNG", size=(300, 900)), PNG),
        (samples.image_bytes("TIFF", size=(1700, 2200)), TIFF),
    ],
)
def test_preview_is_page_one_as_a_small_png(tmp_path, data, content_type):
    source = _write(tmp_path, "upload", data)
    preview_make(source, content_type=content_type, target=tmp_path / "preview.png")
    with Image.open(tmp_path / "preview.png") as image:
        assert image.format == "PNG"
        assert max(image.size) <= PREVIEW_SIZE
        assert min(image.size) > 0


def test_preview_of_a_multi_page_tiff_is_its_first_page(tmp_path):
    out = io.BytesIO()
    first, second = Image.new("RGB", (100, 50), "white"), Image.new("RGB", (40, 80), "black")
    first.save(out, format="TIFF", save_all=True, append_images=[second])
    source = _write(tmp_path, "scan.tif", out.getvalue())
    assert file_check(source, name="scan.tif").pages == 2
    preview_make(source, content_type=TIFF, target=tmp_path / "preview.png")
    with Image.open(tmp_path / "preview.png") as image:
        assert image.size == (100, 50)
