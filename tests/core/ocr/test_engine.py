"""Tesseract's TSV turned into text and a confidence, and the availability check."""

from core.ocr import engine

HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"


def _row(block, par, line, word, conf, text, level=5):
    return f"{level}\t1\t{block}\t{par}\t{line}\t{word}\t0\t0\t10\t10\t{conf}\t{text}"


def test_tsv_words_make_lines_and_paragraphs_with_mean_confidence():
    tsv = "\n".join(
        [
            HEADER,
            _row(1, 1, 1, 0, -1, "", level=4),
            _row(1, 1, 1, 1, 90, "महुआ"),
            _row(1, 1, 1, 2, 80, "थाना"),
            _row(1, 1, 2, 1, 70, "Mahua"),
            _row(2, 1, 1, 1, 60, "2025"),
            _row(2, 1, 1, 2, 95, "   "),
        ]
    )
    reading = engine.tsv_reading(tsv)
    assert reading.text == "महुआ थाना\nMahua\n\n2025"
    assert reading.confidence == 75.0 and reading.good_words == 4 and not reading.empty


def test_noise_alone_makes_an_empty_page():
    tsv = "\n".join(
        [HEADER, _row(1, 1, 1, 1, 20, "~~"), _row(1, 1, 1, 2, 35, "ि"), _row(1, 1, 1, 3, 90, "|")]
    )
    reading = engine.tsv_reading(tsv)
    assert reading.empty and reading.good_words == 0 and reading.confidence is not None


def test_no_words_at_all_has_no_confidence():
    assert engine.tsv_reading(HEADER) == engine.Reading(text="", confidence=None, good_words=0)


def test_ocr_unavailable_without_tesseract_names_the_packages(monkeypatch):
    monkeypatch.setattr(engine, "_tesseract", lambda: None)
    engine.ocr_available_reset()
    try:
        assert not engine.ocr_available()
        assert engine.ocr_missing() == ["tesseract-ocr", "tesseract-ocr-hin", "tesseract-ocr-eng"]
    finally:
        monkeypatch.undo()
        engine.ocr_available_reset()


def test_this_server_has_tesseract_with_hindi_and_english(tesseract):
    assert engine.ocr_available() and {"hin", "eng"} <= engine.installed_languages()
