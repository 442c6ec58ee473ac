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
