"""Small real files for document tests, made on the fly: good PDFs and images, and the bad ones the
upload must refuse."""

import io

import pypdf
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from PIL.PngImagePlugin import PngInfo


def pdf_bytes(pages: int = 1) -> bytes:
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf_bytes() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def truncated_pdf_bytes() -> bytes:
    data = pdf_bytes(3)
    return data[: len(data) // 2]


def image_bytes(fmt: str = "PNG", size=(60, 40), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt, **save)
    return out.getvalue()


def png_html_polyglot() -> bytes:
    """A valid PNG with a web page after its last chunk."""
    return image_bytes("PNG") + b"<html><body><script>alert(document.cookie)</script></body></html>"


def png_with_script_text() -> bytes:
    """A valid PNG whose text chunk carries script markup in its first bytes."""
    info = PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    return image_bytes("PNG", pnginfo=info)


HTML = b"<!DOCTYPE html>\n<html><head><title>x</title></head><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def pdf_of(objects: list[bytes], *, trailer: bytes = b"") -> bytes:
    """A PDF written by hand from its objects' bodies (object 1 is the catalog), with a correct
    cross-reference table: for files pypdf would not write (scripts, actions, markup)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        xref,
    )
    return bytes(out)


def pdf_stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), extra, data)


def pdf_page_objects(*, catalog: bytes = b"", page: bytes = b"", content: bytes = b"") -> list[bytes]:
    """Catalog, pages, one page and its content stream; ``catalog`` and ``page`` are added to
    their dictionaries."""
    return [
        b"<< /Type /Catalog /Pages 2 0 R %s>>" % catalog,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents 4 0 R %s>>" % page,
        pdf_stream(content or b"0 0 m 100 100 l S"),
    ]
