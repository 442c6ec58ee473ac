"""Reading uploaded papers: a Hindi+English page drawn by the test itself is read with its words
and a confidence, a scanned PDF page by page, a PDF's own text layer used as it is (unless its Hindi
reads wrong: then OCR), blank and
scribbled pages marked for manual indexing, and a damaged stored file FAILED without a crash."""

import pytest

from core.base.storage import stored_path
from core.efile.services.documents import document_version_add
from core.models import AuditEvent
from core.models.search import DocumentPage
from core.ocr import tasks as ocr_tasks
from core.ocr.services import document_ocr, document_page_correct, document_page_index
from tenants.context import district_context
from tests.core.efile.samples import upload
from tests.core.ocr import ocrwork

pytestmark = pytest.mark.usefixtures("tesseract")


def _read(version_id: int) -> int:
    return ocr_tasks.document_ocr_task.call_local("vaishali", version_id=version_id)


def _pages(document) -> list[DocumentPage]:
    return list(DocumentPage.objects.filter(version__document=document).order_by("number"))


def test_generated_hindi_english_scan_is_read_with_its_words_and_confidence(ef):
    with district_context("vaishali"):
        document = ocrwork.case_paper(ef, ocrwork.text_png(), "वैशाली स्कैन.png")
        version = document.versions.get()
    assert _read(version.pk) == 1
    with district_context("vaishali"):
        (page,) = _pages(document)
        assert page.status == DocumentPage.Status.READ and page.number == 1
        for word in (*ocrwork.WORDS_HI, *ocrwork.WORDS_EN, "प्रगति", "प्रतिवेदन", "investigating"):
            assert word in page.text, (word, page.text)
        assert 60 < page.confidence < 100
        assert page.searchable_text == page.text
        event = AuditEvent.objects.get(action="document.ocr")
        assert (event.target_type, event.target_id, event.person_login) == (
            "document",
            str(document.pk),
            "system",
        )
        assert event.details | {"mean_confidence": None} == {
            "version": 1,
            "pages": 1,
            "read": 1,
            "empty": 0,
            "indexed": 0,
            "failed": 0,
            "mean_confidence": None,
            "text_layer_pages": 0,
            "text_layer_broken_pages": 0,
            "failures": {},
        }
        assert event.details["mean_confidence"] == page.confidence


def test_scanned_pdf_is_read_page_by_page_and_its_blank_page_waits_for_manual_indexing(ef):
    text_image = ocrwork.rasterise(ocrwork.text_pdf())
    data = ocrwork.scanned_pdf([text_image, ocrwork.blank_image()])
    with district_context("vaishali"):
        document = ocrwork.case_paper(ef, data, "scan.pdf")
        version = document.versions.get()
        assert version.pages == 2
    _read(version.pk)
    with district_context("vaishali"):
        first, second = _pages(document)
        assert first.status == DocumentPage.Status.READ and "Mahua" in first.text and "वैशाली" in first.text
        assert first.confidence > 60
        assert (
            second.status == DocumentPage.Status.EMPTY and second.text == "" and second.searchable_text == ""
        )
        details = AuditEvent.objects.get(action="document.ocr").details
        assert (details["pages"], details["read"], details["empty"], details["text_layer_pages"]) == (
            2,
            1,
            1,
            0,
        )


def test_pdf_with_a_good_text_layer_gives_that_text_with_no_confidence(ef):
    with district_context("vaishali"):
        document = ocrwork.case_paper(ef, ocrwork.good_text_layer_pdf(), "typed.pdf")
        version = document.versions.get()
    _read(version.pk)
    with district_context("vaishali"):
        (page,) = _pages(document)
        # Nothing checked the text layer: no confidence, never "100%".
        assert page.status == DocumentPage.Status.READ and page.confidence is None
        # The text layer is exact: the number OCR can misread comes through as typed.
        assert ocrwork.GOOD_LAYER_HI in page.text and "45/2025" in page.text and "Mahua" in page.text
        details = AuditEvent.objects.get(action="document.ocr").details
        assert (details["text_layer_pages"], details["text_layer_broken_pages"]) == (1, 0)


def test_pdf_whose_hindi_text_layer_is_broken_is_read_by_ocr_instead(ef):
    # The page shows shaped Hindi; its text layer has control characters and symbols where
    # conjuncts and vowel signs were ("पुलि\x04स", "कि>या").
    with district_context("vaishali"):
        document = ocrwork.case_paper(ef, ocrwork.text_pdf(), "typed.pdf")
        version = document.versions.get()
    _read(version.pk)
    with district_context("vaishali"):
        (page,) = _pages(document)
        assert page.status == DocumentPage.Status.READ
        assert page.confidence is not None and 60 < page.confidence < 100
        assert "वैशाली" in page.text and "महुआ" in page.text and "Mahua" in page.text
        assert not any(ch in page.text for ch in "\x04\x0e>")
        details = AuditEvent.objects.get(action="document.ocr").details
        assert (details["text_layer_pages"], details["text_layer_broken_pages"]) == (0, 1)


def test_page_of_scribbles_is_marked_empty_for_manual_indexing(ef):
    with district_context("vaishali"):
        document = ocrwork.case_paper(ef, ocrwork.png(ocrwork.scribbles_image()), "handwritten.png")
        version = document.versions.get()
    _read(version.pk)
    with district_context("vaishali"):
        (page,) = _pages(document)
        assert page.status == DocumentPage.Status.EMPTY and page.text == ""


@pytest.mark.parametrize("damage", ["garbage", "truncated", "missing"])
def test_damaged_stored_file_gives_failed_page_with_reason_not_a_crash(ef, damage):
    with district_context("vaishali"):
        document = ocrwork.case_paper(ef, ocrwork.png(ocrwork.blank_image()), "scan.png")
        version = document.versions.get()
        path = stored_path(version.stored_name)
        if damage == "garbage":
            path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 50)
        elif damage == "truncated":
            path.write_bytes(path.read_bytes()[:100])
        else:
            path.unlink()
    assert _read(version.pk) == 1
    with district_context("vaishali"):
        (page,) = _pages(document)
        assert page.status == DocumentPage.Status.FAILED and page.text == ""
        failures = AuditEvent.objects.get(action="document.ocr").details["failures"]
        # stored as a code and the technical detail, shown in the reader's language
        assert list(failures) == ["1"] and failures["1"].startswith("unreadable: ")


def test_task_for_a_version_that_is_gone_does_nothing(world, db):
    assert _read(2**40) is None


def test_upload_and_new_version_enqueue_the_reading_on_commit(
    ef, monkeypatch, django_capture_on_commit_callbacks
):
    enqueued = []
    monkeypatch.setattr(ocr_tasks, "document_ocr_task", lambda schema, **kw: enqueued.append((schema, kw)))
    with district_context("vaishali"):
        with django_capture_on_commit_callbacks(execute=True):
            document = ocrwork.case_paper(ef, ocrwork.png(ocrwork.blank_image()), "scan.png")
        first = document.versions.get()
        with django_capture_on_commit_callbacks(execute=True):
            second = document_version_add(
                actor=ef.actor("sho"),
                document=document,
                upload=upload("scan2.png", ocrwork.png(ocrwork.blank_image())),
            )
    assert enqueued == [("vaishali", {"version_id": first.pk}), ("vaishali", {"version_id": second.pk})]


def test_reading_again_keeps_corrections_and_manual_indexing(ef):
    data = ocrwork.scanned_pdf([ocrwork.rasterise(ocrwork.text_pdf()), ocrwork.blank_image()])
    with district_context("vaishali"):
        document = ocrwork.case_paper(ef, data, "scan.pdf")
        version = document.versions.get()
    _read(version.pk)
    with district_context("vaishali"):
        document_page_correct(actor=ef.actor("sho"), version=version, number=1, text="सही पाठ Mahnar 9/2025")
        document_page_index(actor=ef.actor("sho"), version=version, number=2, names="राम कुमार")
        pages = document_ocr(version=version)
        assert [(p.status, p.corrected_text, p.manual_names) for p in pages] == [
            (DocumentPage.Status.READ, "सही पाठ Mahnar 9/2025", ""),
            (DocumentPage.Status.INDEXED, "", "राम कुमार"),
        ]
        assert AuditEvent.objects.filter(action="document.ocr").count() == 2
