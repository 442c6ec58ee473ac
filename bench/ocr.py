"""OCR throughput: pages per minute per core on generated A4 pages of mixed Hindi and English.

    make bench BENCH=bench/ocr.py
    .venv/bin/python bench/ocr.py --pages 20

Draws ``--pages`` A4 pages (default 20) of mixed Hindi and English office text with ``core.base.pdf``
(HarfBuzz shaping, Noto Devanagari), rasterises each with pdfium (as ``core.ocr.reader`` does for
a scanned PDF) and reads it with ``core.ocr.engine.image_read`` (Tesseract as a subprocess, one
OpenMP thread) in one process pinned to CPU 0, so the figure is per core. Three runs over the same
pages: the project's setting (hin+eng at 300 dpi) and two baselines, eng alone at 300 dpi and
hin+eng at 200 dpi, each with its ratio to the first. Besides speed it prints how many of the
known words were found, so a faster setting that reads worse shows as such. Needs no database.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "platform"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["OMP_THREAD_LIMIT"] = "1"

HINDI = [
    "पुलिस अधीक्षक कार्यालय वैशाली हाजीपुर",
    "महुआ थाना कांड संख्या {n}/2025 दिनांक {d}.06.2025",
    "अनुसंधानकर्ता द्वारा प्रगति प्रतिवेदन समर्पित किया गया",
    "पर्यवेक्षण टिप्पणी अनुमंडल पुलिस पदाधिकारी महुआ",
    "सूचना का अधिकार आवेदन लोक सूचना पदाधिकारी को प्राप्त",
    "लालगंज महनार सराय भगवानपुर थाना क्षेत्र",
]
ENGLISH = [
    "Superintendent of Police, Vaishali at Hajipur",
    "Mahua police station case {n}/2025 dated {d} June 2025",
    "Progress report submitted by the investigating officer",
    "Supervision note of the SDPO Mahua, sections BNS 303(2)",
    "Application under the Right to Information Act received",
]


def _pages(count: int, seed: int = 11) -> tuple[list, list[set[str]]]:
    import pypdfium2

    from core.base.pdf import pdf_bytes, pdf_heading, pdf_new, pdf_paragraph

    rng = random.Random(seed)
    pdf = pdf_new(title="OCR benchmark")
    expected: list[set[str]] = []
    for index in range(count):
        if index:
            pdf.add_page()
        words: set[str] = set()
        pdf_heading(pdf, f"पत्रांक {100 + index} / Letter No. {100 + index}", size=14)
        for _ in range(14):
            line = rng.choice(HINDI if rng.random() < 0.55 else ENGLISH)
            line = line.format(n=rng.randint(10, 999), d=rng.randint(10, 28))
            pdf_paragraph(pdf, line)
            words.update(w for w in line.replace(",", " ").split() if len(w) > 3)
        expected.append(words)
    data = pdf_bytes(pdf)
    document = pypdfium2.PdfDocument(data)
    rendered = {}
    for dpi in (300, 200):
        rendered[dpi] = [
            document[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in range(len(document))
        ]
    document.close()
    return rendered, expected


def _run(images, expected, *, languages: str, dpi: int) -> dict:
    from core.ocr.engine import image_read

    times, found, total, confidences = [], 0, 0, []
    for image, words in zip(images, expected, strict=True):
        start = time.perf_counter()
        reading = image_read(image, languages=languages, dpi=dpi)
        times.append(time.perf_counter() - start)
        text = set(reading.text.replace(",", " ").split())
        found += len(words & text)
        total += len(words)
        if reading.confidence is not None:
            confidences.append(reading.confidence)
    seconds = sum(times)
    return {
        "pages": len(times),
        "seconds": seconds,
        "ppm": 60 * len(times) / seconds,
        "p50": statistics.median(times),
        "max": max(times),
        "found": found / total if total else 0.0,
        "confidence": statistics.mean(confidences) if confidences else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core; tesseract inherits it

    import logging

    import django

    django.setup()
    logging.disable(logging.INFO)
    from core.ocr.engine import ocr_available, ocr_missing

    if not ocr_available():
        sys.exit("OCR is not available; install: " + " ".join(ocr_missing()) + " (deploy/ocr-install.sh)")
    start = time.perf_counter()
    rendered, expected = _pages(args.pages)
    print(
        f"generated {args.pages} A4 pages (Hindi+English) in {time.perf_counter() - start:.1f} s; "
        f"pinned to CPU {sorted(os.sched_getaffinity(0)) if hasattr(os, 'sched_getaffinity') else '?'}"
    )
    runs = [
        ("hin+eng, 300 dpi (project)", rendered[300], "hin+eng", 300),
        ("eng only, 300 dpi (baseline)", rendered[300], "eng", 300),
        ("hin+eng, 200 dpi (baseline)", rendered[200], "hin+eng", 200),
    ]
    results = []
    for label, images, languages, dpi in runs:
        result = _run(images, expected, languages=languages, dpi=dpi)
        results.append((label, result))
    base = results[0][1]
    print(
        f"{'setting':32} {'pages/min/core':>15} {'s/page p50':>10} {'max':>6} "
        f"{'words found':>11} {'conf':>5} {'speed ratio':>11}"
    )
    for label, r in results:
        print(
            f"{label:32} {r['ppm']:15.1f} {r['p50']:10.2f} {r['max']:6.2f} {r['found']:11.1%} "
            f"{r['confidence']:5.1f} {r['ppm'] / base['ppm']:10.2f}x"
        )


if __name__ == "__main__":
    main()
