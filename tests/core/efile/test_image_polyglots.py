"""Images that are web pages too: a JPEG with data after its end marker, markup anywhere in a
JPEG, PNG or TIFF (not only in its first bytes), found by reading the whole file in chunks."""

import io
import os
import struct

import pytest
from PIL import Image

from core.base.uploads import filecheck
from core.base.uploads.filecheck import JPEG, PNG, TIFF, FileRefused, file_check
from tests.core.efile import samples

PAGE = b"<html><body><script>alert(document.cookie)</script></body></html>"


def _write(tmp_path, data, name="upload"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _noisy(fmt: str, side: int = 400, **save) -> bytes:
    """An image of random pixels: its compressed data is as varied as bytes get."""
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, format=fmt, **save)
    return out.getvalue()


def _with_segment(jpeg: bytes, marker: int, payload: bytes) -> bytes:
    """``jpeg`` with one more segment right after its start marker."""
    return jpeg[:2] + bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


def _refused(tmp_path, data, code="polyglot"):
    with pytest.raises(FileRefused) as refused:
        file_check(_write(tmp_path, data), name="scan")
    assert refused.value.code == code, refused.value.messages
    return refused.value


def test_jpeg_with_a_page_after_its_end_is_refused(tmp_path):
    refusal = _refused(tmp_path, _noisy("JPEG") + PAGE)
    assert "after its image" in refusal.messages[0]


def test_jpeg_with_other_data_after_its_end_is_refused_even_without_markup(tmp_path):
    _refused(tmp_path, samples.image_bytes("JPEG") + b"PK\x03\x04" + os.urandom(200))


def test_jpeg_with_a_page_in_a_comment_past_the_first_bytes_is_refused(tmp_path):
    data = _with_segment(samples.image_bytes("JPEG"), 0xFE, b"x" * 3000 + PAGE)
    assert data.find(b"<html") > filecheck.SNIFF_BYTES
    refusal = _refused(tmp_path, data)
    assert "markup" in refusal.messages[0]


def test_tiff_with_a_page_appended_is_refused(tmp_path):
    _refused(tmp_path, _noisy("TIFF", side=100) + b"\n" * 10 + PAGE)


def test_png_with_a_page_in_a_text_chunk_past_the_first_bytes_is_refused(tmp_path):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "x" * 4000 + "<svg onload=alert(1)>")
    _refused(tmp_path, samples.image_bytes("PNG", pnginfo=info))


@pytest.mark.parametrize("marker", [b"<SCRIPT>", b"<!DocType html", b"<?xml version", b"<iframe src=x>"])
def test_markup_across_a_chunk_boundary_is_found(tmp_path, monkeypatch, marker):
    monkeypatch.setattr(filecheck, "SCAN_CHUNK", 4096)
    jpeg = samples.image_bytes("JPEG")
    # Put the marker's middle right on a chunk boundary, inside a comment segment.
    filler = 8192 - (2 + 4) - len(marker) // 2
    data = _with_segment(jpeg, 0xFE, b"x" * filler + marker + b" y")
    assert data.find(marker) < 8192 < data.find(marker) + len(marker)
    _refused(tmp_path, data)


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (samples.image_bytes("JPEG"), JPEG),
        (samples.image_bytes("PNG"), PNG),
        (samples.image_bytes("TIFF"), TIFF),
        (_noisy("JPEG", side=1200, quality=95), JPEG),
        (_noisy("JPEG", side=300, progressive=True), JPEG),
        (_noisy("PNG", side=600), PNG),
        (_noisy("TIFF", side=400), TIFF),
        (_noisy("TIFF", side=300, compression="tiff_lzw"), TIFF),
        # A few padding bytes after the end marker, as some scanners write.
        (samples.image_bytes("JPEG") + b"\x00" * 4, JPEG),
        # A camera's JPEG with a further image after the first (a preview, an HDR gain map).
        (samples.image_bytes("JPEG") + samples.image_bytes("JPEG", size=(20, 10)), JPEG),
        # Ordinary metadata: EXIF and an XMP packet.
        (
            _with_segment(
                samples.image_bytes("JPEG"),
                0xE1,
                b"http://ns.adobe.com/xap/1.0/\x00<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>"
                b"<x:xmpmeta xmlns:x='adobe:ns:meta/'></x:xmpmeta><?xpacket end='w'?>",
            ),
            JPEG,
        ),
    ],
)
def test_ordinary_images_still_pass(tmp_path, data, content_type):
    assert file_check(_write(tmp_path, data), name="scan").content_type == content_type


def test_the_scan_reads_in_chunks_not_the_whole_file(tmp_path, monkeypatch):
    data = _noisy("JPEG", side=800)
    reads = []
    real_open = filecheck.Path.open

    def spy_open(self, *args, **kwargs):
        f = real_open(self, *args, **kwargs)
        read = f.read

        def counted(n=-1):
            chunk = read(n)
            reads.append(len(chunk))
            return chunk

        f.read = counted
        return f

    monkeypatch.setattr(filecheck, "SCAN_CHUNK", 8192)
    monkeypatch.setattr(filecheck.Path, "open", spy_open)
    file_check(_write(tmp_path, data), name="scan")
    assert reads and max(reads) <= 8192 < len(data)
