"""The text page, page images, correction and indexing forms, and the manual-indexing queue:
404 for whoever may not see the document (another district's officer with ids that exist in both
districts, a same-district officer without sight, anonymous), the gate's 403 for a person with no
posting, audited reads, and bad input shown on the form with nothing written."""

import pytest

from core.cases.services.register import case_register
from core.models import AuditEvent
from core.models.search import DocumentPage
from tenants.context import district_context
from tests.core.cases.casework import a_date, muzaffarpur_sho
from tests.core.ocr import ocrwork
from tests.helpers import HostClient, sign_in_refused


@pytest.fixture
def paper(ef):
    return ocrwork.paper_read_and_empty(ef)


def _urls(document_id: int) -> list[tuple[str, str]]:
    base = f"/documents/{document_id}"
    return [
        ("get", f"{base}/text/"),
        ("get", f"{base}/v1/text/"),
        ("get", f"{base}/v1/pages/1.png"),
        ("post", f"{base}/v1/text/correct/"),
        ("post", f"{base}/v1/text/index/"),
    ]


def _reads(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_text_page_shows_each_pages_text_confidence_and_forms_and_is_audited(ef, paper):
    response = ef.client("sho").get(f"/documents/{paper.document_id}/text/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "पृष्ठ 1 महुआ page 1" in page and "confidence 88%" in page
    assert f"/documents/{paper.document_id}/v1/pages/2.png" in page
    assert f'action="/documents/{paper.document_id}/v1/text/correct/"' in page
    assert f'action="/documents/{paper.document_id}/v1/text/index/"' in page  # page 2 has no text
    with district_context("vaishali"):
        (event,) = _reads("document.text_view")
        assert (event.target_id, event.post_id, event.details["version"]) == (
            str(paper.document_id),
            ef.posts["sho"].pk,
            1,
        )


def test_supervisor_who_sees_the_case_reads_the_text_page(ef, paper):
    page = ef.client("sp").get(f"/documents/{paper.document_id}/text/").content.decode()
    assert "पृष्ठ 1 महुआ page 1" in page


def test_page_image_is_a_png_with_protective_headers_and_audited(ef, paper):
    client = ef.client("sho")
    response = client.get(f"/documents/{paper.document_id}/v1/pages/2.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert (
        response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    )
    assert client.get(f"/documents/{paper.document_id}/v1/pages/3.png").status_code == 404
    assert client.get(f"/documents/{paper.document_id}/v2/pages/1.png").status_code == 404
    with district_context("vaishali"):
        assert [e.details["page"] for e in _reads("document.page_view")] == [2]


def test_every_text_url_is_404_for_outsiders_with_ids_that_exist_in_both_districts(ef):
    mzp_thana, mzp_actor = muzaffarpur_sho(ef)
    shared = ocrwork.next_document_id_in_both_districts()
    with district_context("vaishali"):
        document = ocrwork.case_paper(ef, ocrwork.small_scan_pdf(), "scan.pdf")
        ocrwork.read_as(document.versions.get(), "read", "empty")
    with district_context("muzaffarpur"):
        case = case_register(
            actor=mzp_actor,
            thana=mzp_thana,
            year=a_date().year,
            fir_number=5,
            registered_on=a_date(),
            sections="BNS 303",
            brief_facts="Theft.",
            complainant="A",
            accused="B",
        )
        from core.efile.services.documents import document_upload
        from tests.core.efile.samples import upload

        (other,) = document_upload(
            actor=mzp_actor, case=case, uploads=[upload("mzp.pdf", ocrwork.small_scan_pdf(1))]
        )
        version = other.versions.get()
        from core.ocr.reader import PageResult
        from core.ocr.services import document_ocr

        document_ocr(
            version=version, results=[PageResult(1, "read", text="कांटी Kanti only", confidence=90.0)]
        )
    assert document.pk == other.pk == shared
    outsiders = {key: ef.client(key) for key in ("mahnar", "clerk", "pio", "sdpoclerk")}
    outsiders["anonymous"] = HostClient("vaishali")
    data = {"page": "1", "text": "probe", "names": "probe"}
    for who, client in outsiders.items():
        for method, url in _urls(document.pk):
            response = getattr(client, method)(url, data)
            assert response.status_code == 404, (who, method, url, response.status_code)
    unposted = HostClient("vaishali")
    assert sign_in_refused(unposted.sign_in("no.posting"))  # no posting here
    assert unposted.get(f"/documents/{document.pk}/text/").status_code == 404
    # The Muzaffarpur officer asking their own host for the same id sees their own paper only.
    page = ef.client("other").get(f"/documents/{document.pk}/text/").content.decode()
    assert "Kanti only" in page and "महुआ" not in page
    assert ef.client("other").get(f"/documents/{document.pk + 1}/text/").status_code == 404
    with district_context("vaishali"):
        assert not AuditEvent.objects.filter(
            action__in=[
                "document.text_view",
                "document.page_view",
                "document.page_correct",
                "document.page_index",
            ]
        ).exists()
        assert DocumentPage.objects.get(version__document=document, number=1).corrected_text == ""


@pytest.mark.parametrize(
    "url",
    [
        "/documents/0/text/",
        "/documents/99999999999999999999/text/",
        "/documents/1/v0/text/",
        "/documents/1/v1/pages/0.png",
    ],
)
def test_out_of_range_ids_are_404_not_500(ef, url):
    assert ef.client("sp").get(url).status_code == 404


def test_correction_through_the_form_saves_and_returns_to_the_page(ef, paper):
    response = ef.client("sho").post(
        f"/documents/{paper.document_id}/v1/text/correct/", {"page": "1", "text": "सही पाठ: वैशाली"}
    )
    assert response.status_code == 302 and response.url.endswith(
        f"/documents/{paper.document_id}/v1/text/#page-1"
    )
    with district_context("vaishali"):
        assert DocumentPage.objects.get(version=paper, number=1).searchable_text == "सही पाठ: वैशाली"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"page": "1", "text": ""}, "This field is required."),
        ({"page": "1", "text": "x" * 20001}, "at most 20000 characters"),
        ({"page": "9", "text": "text for no page"}, "This document has no such page."),
        ({"page": "abc", "text": "text"}, "Enter a whole number."),
        ({"text": "no page"}, "This field is required."),
    ],
)
def test_bad_correction_form_shows_the_error_and_writes_nothing(ef, paper, data, message):
    response = ef.client("sho").post(f"/documents/{paper.document_id}/v1/text/correct/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    with district_context("vaishali"):
        assert not DocumentPage.objects.filter(version=paper).exclude(corrected_text="").exists()
        assert not AuditEvent.objects.filter(action="document.page_correct").exists()


def test_manual_index_through_the_form_and_its_refusals(ef, paper):
    client = ef.client("sho")
    url = f"/documents/{paper.document_id}/v1/text/index/"
    refused = client.post(url, {"page": "2", "names": "", "dates": "", "case_number": ""})
    assert (
        refused.status_code == 200
        and "Fill in at least one of names, dates and case number." in refused.content.decode()
    )
    on_read_page = client.post(url, {"page": "1", "names": "Ram"})
    assert "correct its text instead" in on_read_page.content.decode()
    with district_context("vaishali"):
        assert not AuditEvent.objects.filter(action="document.page_index").exists()
    done = client.post(url, {"page": "2", "names": "राम कुमार", "dates": "1.1.2019", "case_number": "45/2019"})
    assert done.status_code == 302
    with district_context("vaishali"):
        page = DocumentPage.objects.get(version=paper, number=2)
        assert page.status == DocumentPage.Status.INDEXED and "45/2019" in page.searchable_text


def test_queue_lists_pages_waiting_for_manual_indexing_that_the_viewer_may_see(ef, paper):
    url = f"/documents/{paper.document_id}/v1/text/#page-2"
    assert url in ef.client("sho").get("/documents/to-index/").content.decode()
    assert url in ef.client("sdpo").get("/documents/to-index/").content.decode()
    assert url not in ef.client("mahnar").get("/documents/to-index/").content.decode()
    assert HostClient("vaishali").get("/documents/to-index/").status_code == 302  # sign in first
    with district_context("vaishali"):
        from core.ocr.services import document_page_index

        document_page_index(actor=ef.actor("sho"), version=paper, number=2, names="राम")
    assert url not in ef.client("sho").get("/documents/to-index/").content.decode()


def test_queue_leaves_out_pages_of_superseded_versions(ef, paper):
    from core.efile.services.documents import document_version_add
    from tests.core.efile.samples import upload

    with district_context("vaishali"):
        newer = document_version_add(
            actor=ef.actor("sho"), document=paper.document, upload=upload("v2.pdf", ocrwork.small_scan_pdf(1))
        )
        ocrwork.read_as(newer, "read")
    assert "#page-2" not in ef.client("sho").get("/documents/to-index/").content.decode()


def test_pages_say_so_when_ocr_is_not_available(ef, paper, monkeypatch):
    from core.ocr import views
    from core.templatetags import ocr_status

    monkeypatch.setattr(views, "ocr_available", lambda: False)
    monkeypatch.setattr(ocr_status, "ocr_available", lambda: False)
    text = ef.client("sho").get(f"/documents/{paper.document_id}/text/").content.decode()
    assert "OCR is not available on this server" in text
    admin = HostClient("vaishali")
    admin.sign_in("vaishali.admin")
    assert "OCR is not available on this server" in admin.get("/admin/").content.decode()
    monkeypatch.setattr(ocr_status, "ocr_available", lambda: True)
    assert "OCR is not available" not in admin.get("/admin/").content.decode()


def test_documents_panel_links_the_text_page(ef, paper):
    page = ef.client("sho").get(f"/cases/{paper.document.case_id}/").content.decode()
    assert f"/documents/{paper.document_id}/v1/text/" in page


def test_a_failed_pages_reason_is_shown_in_the_readers_language(ef):
    with district_context("vaishali"):
        document = ocrwork.case_paper(ef, ocrwork.png(ocrwork.blank_image()), "scan.png")
        ocrwork.read_as(document.versions.get(), "failed")
    client = ef.client("sho")
    english = client.get(f"/documents/{document.pk}/text/").content.decode()
    assert "The stored file could not be read (OSError: bad sector)" in english
    client.cookies["karyalay_language"] = "hi"
    hindi = client.get(f"/documents/{document.pk}/text/").content.decode()
    assert "The stored file could not be read" not in hindi
    assert "(OSError: bad sector)" in hindi and "unreadable" not in hindi


def test_a_reason_stored_before_codes_is_shown_as_it_was():
    from core.ocr.engine import reason, reason_text

    assert reason_text("Tesseract failed (1): bad image") == "Tesseract failed (1): bad image"
    assert reason_text(reason("timeout", "120 s")) == "Tesseract took too long to read the page (120 s)"
    assert reason_text(reason("no_tesseract")) == "Tesseract is not installed on the server"
