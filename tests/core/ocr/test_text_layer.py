"""A PDF's text layer whose Hindi reads wrong is set aside and the page read by OCR; a good one is
kept, and text nobody checked never shows a confidence ("from the PDF's text", never "100%")."""

import pytest

from core.base.uploads.filecheck import PDF
from core.models.search import DocumentPage
from core.ocr.reader import version_pages
from core.ocr.services import document_ocr
from core.ocr.textlayer import text_layer_broken, text_layer_check
from tenants.context import district_context
from tests.core.ocr import ocrwork
from tests.helpers import HostClient

GOOD_HINDI = (
    "सूचना का अधिकार अधिनियम 2005 की धारा 6 के अंतर्गत आवेदन। कृपया मुझे महुआ थाना कांड संख्या "
    "123/2025 की प्राथमिकी की प्रति (प्रमाणित) उपलब्ध कराएं। वह घर पर है और जल भी है।"
)


@pytest.mark.parametrize(
    "broken",
    [
        "घा ट पर सा त दि नों के भी तर आ वे दन दें",  # split into syllables
        "सूचना का अधि\tकार अधि\tनि\x0cयम की धारा 6 के अंतर्ग\x16त आवेदन। सात दि\x1cनों के भीतर",
        "पुलि\x04स अधीक्षक कार्या\n\x0eलय, वैशाली प्रगति प्रति वेदन समर्पि:;त कि>या गया।",
        "ि कसी भी व्य ि क्त को सू चना दी जाए और पत्र भेजा जाए कृपया",  # vowel signs cut off
        "सूचना \ue001का अधिकार \ue002अधिनियम की धारा के अंतर्गत आवेदन दिया गया",  # private-use glyphs
    ],
)
def test_broken_hindi_text_layers_are_detected(broken):
    assert text_layer_broken(broken), text_layer_check(broken)


@pytest.mark.parametrize(
    "good",
    [
        GOOD_HINDI,
        ocrwork.GOOD_LAYER_HI,
        "Mahua police station case 45/2025: progress report submitted by the investigating officer.",
        "महुआ Mahua 45/2025",  # too little Hindi to judge
        "कांड संख्या 45/2025 — जाँच-पड़ताल पूरी; आरोप-पत्र दाखिल, न्यायालय: व्यवहार न्यायालय, हाजीपुर।",
    ],
)
def test_good_text_layers_are_kept(good):
    assert not text_layer_broken(good), text_layer_check(good)


def test_a_good_hindi_text_layer_is_kept_as_typed_with_no_confidence(tmp_path):
    path = tmp_path / "good.pdf"
    path.write_bytes(ocrwork.good_text_layer_pdf())
    (page,) = version_pages(path, content_type=PDF, ocr=False)
    assert (page.status, page.source, page.confidence, page.text_layer_broken) == (
        "read",
        "text",
        None,
        False,
    )
    assert ocrwork.GOOD_LAYER_HI in page.text


def test_a_syllable_split_text_layer_sends_the_page_to_ocr(tmp_path, tesseract):
    path = tmp_path / "spaced.pdf"
    path.write_bytes(ocrwork.spaced_text_layer_pdf())
    (page,) = version_pages(path, content_type=PDF)
    assert page.source == "ocr" and page.text_layer_broken
    assert page.confidence is None or page.confidence < 100


def test_a_broken_text_layer_is_kept_unchecked_when_there_is_no_tesseract(tmp_path):
    path = tmp_path / "spaced.pdf"
    path.write_bytes(ocrwork.spaced_text_layer_pdf())
    (page,) = version_pages(path, content_type=PDF, ocr=False)
    assert (page.status, page.source, page.confidence, page.text_layer_broken) == ("read", "text", None, True)


@pytest.mark.django_db
def test_the_text_page_says_from_the_pdfs_text_never_100_percent(ef):
    with district_context("vaishali"):
        document = ocrwork.case_paper(ef, ocrwork.good_text_layer_pdf(), "typed.pdf")
        version = document.versions.get()
        path_pages = version_pages(ocrwork_stored(version), content_type=version.content_type, ocr=False)
        document_ocr(version=version, results=path_pages)
        # A page stored at 100 before this change is shown the same way.
        DocumentPage.objects.create(
            version=version, number=2, status="read", text="Typed page", confidence=100.0
        )
    page = ef.client("sho").get(f"/documents/{document.pk}/text/").text
    assert "from the PDF&#x27;s text" in page or "from the PDF's text" in page
    assert "confidence 100%" not in page
    other = ef.client("other").get(f"/documents/{document.pk}/text/")
    assert other.status_code == 404
    unposted = HostClient("vaishali")
    unposted.sign_in("no.posting")
    assert ocrwork.GOOD_LAYER_HI not in unposted.get(f"/documents/{document.pk}/text/").text


def ocrwork_stored(version):
    from core.base.storage import stored_path

    return stored_path(version.stored_name)
