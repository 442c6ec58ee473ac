"""Printable PDFs in Hindi and English: reports and RTI reply letters.

fpdf2 writes the PDF; HarfBuzz (``uharfbuzz``) shapes Devanagari, so conjuncts and vowel signs
come out as a reader expects; the fonts are Noto Sans and Noto Sans Devanagari, installed as
Python packages, so a machine needs no system fonts. Text in either script, or both mixed, is
written with the Devanagari font first and the Latin one as its fallback.

    pdf = pdf_new(title="Pendency report")
    pdf_heading(pdf, "Pendency of cases")
    pdf_paragraph(pdf, "…")
    pdf_table(pdf, header=[...], rows=[[...], ...], widths=[...])
    data = pdf_bytes(pdf)
"""

from __future__ import annotations

import functools
import logging
import os
import tempfile
from pathlib import Path

import fontpkg_noto_sans
import fontpkg_noto_sans_devanagari
from django.conf import settings
from fontTools.ttLib import TTFont
from fontTools.varLib.instancer import instantiateVariableFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

BODY_SIZE = 10
LINE = 5.5


@functools.cache
def _font_files() -> tuple[Path, Path]:
    latin = next(p for p in (fontpkg_noto_sans.ROOT / "files").glob("*.ttf") if "Italic" not in p.name)
    devanagari = next((fontpkg_noto_sans_devanagari.ROOT / "files").glob("*.ttf"))
    return devanagari, latin


def _font_cache_dirs() -> list[Path]:
    """Where static fonts may be kept: the data folder, else the temporary folder (a container
    whose data folder is read-only to the web user)."""
    data_dir = getattr(settings, "DATA_DIR", None) if settings.configured else None
    temporary = Path(tempfile.gettempdir()) / "karyalay-fonts"
    return [Path(data_dir) / "fonts", temporary] if data_dir else [temporary]


def _instance_write(source: Path, weight: int, target: Path) -> None:
    """Write the instance to a temporary name and rename it, so processes making it at the same
    time never read half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # fontTools logs its axis limits at INFO with a mapping as the one argument, which logging
    # cannot format (a "Logging error"; under pytest's capture, an exception): keep it at WARNING.
    logging.getLogger("fontTools.varLib.instancer").setLevel(logging.WARNING)
    font = instantiateVariableFont(TTFont(str(source)), {"wght": weight, "wdth": 100}, updateFontNames=False)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(handle)
    try:
        font.save(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


@functools.cache
def _static_font(source: Path, weight: int) -> Path:
    """A static instance of the variable font ``source`` at ``weight``, made once per machine and
    kept on disk: instancing takes seconds (fpdf2 would redo it for every document), reading the
    static file a few milliseconds. The first folder that can hold it is used."""
    name = f"{source.stem}-w{weight}-{source.stat().st_size}.ttf"
    error = None
    for folder in _font_cache_dirs():
        target = folder / name
        if target.exists():
            return target
        try:
            _instance_write(source, weight, target)
            return target
        except OSError as failure:  # a read-only folder: try the next
            error = failure
    raise error


class _Pdf(FPDF):
    footer_text = ""

    def footer(self):
        self.set_y(-12)
        self.set_font("deva", size=8)
        self.set_text_color(90)
        self.cell(0, 5, f"{self.footer_text}  ·  {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)


def pdf_new(*, title: str, footer: str = "", landscape: bool = False) -> FPDF:
    """An A4 document with the two fonts loaded (regular and bold) and a page begun."""
    devanagari, latin = _font_files()
    pdf = _Pdf(orientation="L" if landscape else "P", format="A4")
    pdf.footer_text = footer or title
    pdf.set_title(title)
    pdf.set_creator("Karyalay")
    for family, path in (("deva", devanagari), ("latin", latin)):
        pdf.add_font(family, "", str(_static_font(path, 400)))
        pdf.add_font(family, "B", str(_static_font(path, 700)))
    pdf.set_text_shaping(True)
    pdf.set_fallback_fonts(["latin"])
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_margins(15, 15, 15)
    pdf.add_page()
    pdf.set_font("deva", size=BODY_SIZE)
    return pdf


def pdf_heading(pdf: FPDF, text: str, *, size: int = 14) -> None:
    pdf.set_font("deva", "B", size=size)
    pdf.multi_cell(0, size * 0.6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font("deva", size=BODY_SIZE)


def pdf_paragraph(pdf: FPDF, text: str, *, bold: bool = False, align: str = "L") -> None:
    pdf.set_font("deva", "B" if bold else "", size=BODY_SIZE)
    pdf.multi_cell(0, LINE, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("deva", size=BODY_SIZE)


def pdf_table(pdf: FPDF, *, header: list[str], rows: list[list], widths: list[float] | None = None) -> None:
    """A table with a bold header row repeated on every page; cells wrap."""
    pdf.set_font("deva", size=BODY_SIZE - 1)
    with pdf.table(
        col_widths=widths,
        text_align="LEFT",
        line_height=LINE,
        repeat_headings=1,
        headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
    ) as table:
        head = table.row()
        for cell in header:
            head.cell(str(cell))
        for values in rows:
            row = table.row()
            for value in values:
                row.cell("" if value is None else str(value))
    pdf.set_font("deva", size=BODY_SIZE)
    pdf.ln(2)


def pdf_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())


__all__ = ["pdf_bytes", "pdf_heading", "pdf_new", "pdf_paragraph", "pdf_table"]
