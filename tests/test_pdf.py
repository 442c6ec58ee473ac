"""core.base.pdf: static font instances are kept in the first folder that can hold them."""

from core.base import pdf


def test_a_read_only_data_folder_falls_back_to_the_temporary_folder(monkeypatch, tmp_path):
    read_only, writable = tmp_path / "data" / "fonts", tmp_path / "tmp" / "fonts"

    def write(source, weight, target):
        if target.parent == read_only:
            raise PermissionError(13, "Permission denied", str(read_only))
        target.parent.mkdir(parents=True)
        target.write_bytes(b"font")

    monkeypatch.setattr(pdf, "_font_cache_dirs", lambda: [read_only, writable])
    monkeypatch.setattr(pdf, "_instance_write", write)
    pdf._static_font.cache_clear()
    try:
        found = pdf._static_font(pdf._font_files()[0], 400)
    finally:
        pdf._static_font.cache_clear()
    assert found.parent == writable and found.exists()


def test_a_pdf_in_hindi_and_english_is_written():
    document = pdf.pdf_new(title="महुआ थाना")
    pdf.pdf_paragraph(document, "महुआ थाना कांड संख्या 45/2025 — Mahua PS case 45/2025")
    assert pdf.pdf_bytes(document).startswith(b"%PDF")
