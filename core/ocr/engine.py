"""Tesseract, as this server has it: whether it can read Hindi and English, and reading one image.

Tesseract runs as a subprocess (``tesseract - - -l hin+eng --dpi 300 tsv``): the page goes in as
a PNG on stdin, the TSV comes back on stdout with one row per word and its confidence (0–100).
Each call has a timeout, and OpenMP is held to one thread: the huey consumers already run one task
per core, and Tesseract's own threads only slow a busy machine down.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import subprocess
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

LANGUAGES = ("hin", "eng")
# Seconds one page may take before it is given up as FAILED (a 300 dpi A4 page takes 5–20 s).
PAGE_TIMEOUT = 180
# Words below this confidence, or with no letter or digit in them, are taken for noise: a page
# with fewer than MIN_WORDS other words is a page without text (handwriting, a stamp, a blank).
NOISE_CONFIDENCE = 50
MIN_WORDS = 2


# Why a page could not be read, by code. A reason is stored (in the audit trail) as its code and
# a technical detail, "code: detail", and shown in the reader's language by ``reason_text``.
REASONS = {
    "no_tesseract": gettext_lazy("Tesseract is not installed on the server"),
    "timeout": gettext_lazy("Tesseract took too long to read the page"),
    "not_started": gettext_lazy("Tesseract could not be started"),
    "tesseract_failed": gettext_lazy("Tesseract failed on the page"),
    "not_drawn": gettext_lazy("The page could not be drawn"),
    "unreadable": gettext_lazy("The stored file could not be read"),
}


def reason(code: str, detail: object = "") -> str:
    """A failure reason as stored: its code and a technical detail (at most 300 characters)."""
    assert code in REASONS, code
    detail = " ".join(str(detail or "").split())
    return f"{code}: {detail}"[:300] if detail else code


def reason_text(stored: str) -> str:
    """A stored reason in the current language: the code's message, with the detail after it in
    brackets; a reason stored before codes (plain English) as it is."""
    code, _sep, detail = (stored or "").partition(":")
    if code not in REASONS:
        return stored or ""
    message = str(REASONS[code])
    return f"{message} ({detail.strip()})" if detail.strip() else message


class OcrError(Exception):
    """Tesseract could not read a page; ``reason`` says why, as stored (see ``reason``)."""

    def __init__(self, code: str, detail: object = ""):
        self.reason = reason(code, detail)
        super().__init__(self.reason)


@dataclass(frozen=True)
class Reading:
    """What Tesseract read off one image: its text laid out in lines and paragraphs, the mean of
    its words' confidences (None when there were no words), and the words that are not noise."""

    text: str
    confidence: float | None
    good_words: int

    @property
    def empty(self) -> bool:
        return self.good_words < MIN_WORDS


def _tesseract() -> str | None:
    return shutil.which("tesseract")


@functools.cache
def installed_languages() -> frozenset[str]:
    """The language data Tesseract finds on this server (empty when there is no Tesseract)."""
    binary = _tesseract()
    if binary is None:
        return frozenset()
    try:
        done = subprocess.run(
            [binary, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    lines = (done.stdout + "\n" + done.stderr).splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and " " not in line.strip())


def ocr_available() -> bool:
    """Whether this server can OCR papers: the ``tesseract`` program with Hindi and English data.
    Worked out once per process (``ocr_available_reset`` after installing it)."""
    return set(LANGUAGES) <= installed_languages()


def ocr_missing() -> list[str]:
    """What is missing for OCR, as Debian package names (empty when nothing is)."""
    if _tesseract() is None:
        return ["tesseract-ocr", *(f"tesseract-ocr-{lang}" for lang in LANGUAGES)]
    return [f"tesseract-ocr-{lang}" for lang in LANGUAGES if lang not in installed_languages()]


def ocr_available_reset() -> None:
    installed_languages.cache_clear()


def _is_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def tsv_reading(tsv: str) -> Reading:
    """The text and confidence of Tesseract's TSV: words of a line joined by spaces, lines by
    newlines, paragraphs and blocks by a blank line; the confidence is the mean over words with
    text (``conf`` −1 rows are layout, not words)."""
    lines: dict[tuple[int, int, int, int], list[str]] = {}
    confidences: list[float] = []
    good = 0
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        word = (row.get("text") or "").strip()
        try:
            confidence = float(row.get("conf") or -1)
        except ValueError:
            continue
        if row.get("level") != "5" or not word or confidence < 0:
            continue
        key = tuple(int(row.get(name) or 0) for name in ("page_num", "block_num", "par_num", "line_num"))
        lines.setdefault(key, []).append(word)
        confidences.append(confidence)
        if confidence >= NOISE_CONFIDENCE and _is_word(word):
            good += 1
    out: list[str] = []
    last_paragraph = None
    for key in sorted(lines):
        if last_paragraph is not None and key[:3] != last_paragraph:
            out.append("")
        out.append(" ".join(lines[key]))
        last_paragraph = key[:3]
    mean = round(sum(confidences) / len(confidences), 1) if confidences else None
    return Reading(text="\n".join(out).strip(), confidence=mean, good_words=good)


def image_read(
    image, *, languages: str = "+".join(LANGUAGES), dpi: int = 300, timeout: int = PAGE_TIMEOUT
) -> Reading:
    """Read one page image (a Pillow image) with Tesseract. Raises ``OcrError`` with the reason
    when Tesseract is missing, times out or fails."""
    binary = _tesseract()
    if binary is None:
        raise OcrError("no_tesseract")
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    png = io.BytesIO()
    image.save(png, format="PNG", compress_level=1)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            [binary, "-", "-", "-l", languages, "--dpi", str(dpi), "tsv"],
            input=png.getvalue(),
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise OcrError("timeout", f"{timeout} s") from error
    except OSError as error:
        raise OcrError("not_started", error) from error
    if done.returncode != 0:
        last = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
        raise OcrError("tesseract_failed", f"{done.returncode}: {last[0][:200]}")
    return tsv_reading(done.stdout.decode("utf-8", errors="replace"))
