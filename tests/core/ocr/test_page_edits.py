"""Correcting a page's text and indexing a page without text by hand: what the search then uses,
the audit event, who may, and bad input refused with nothing written."""

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEvent
from core.models.search import DocumentPage
from core.ocr.services import PAGE_TEXT_MAX, document_page_correct, document_page_index
from tenants.context import district_context
from tests.core.efile.filework import gen_file
from tests.core.ocr import ocrwork


@pytest.fixture
def paper(ef):
    """A two-page scanned paper on a Mahua case: page 1 read, page 2 without text."""
    return ocrwork.paper_read_and_empty(ef)


def _state(version) -> list[tuple]:
    return list(
        DocumentPage.objects.filter(version=version)
        .order_by("number")
        .values_list("status", "corrected_text", "manual_names", "manual_dates", "manual_case_number")
    )


def _edits() -> int:
    return AuditEvent.objects.filter(action__in=["document.page_correct", "document.page_index"]).count()


def test_corrected_text_replaces_what_ocr_read_in_search_and_is_audited(ef, paper):
    with district_context("vaishali"):
        page = document_page_correct(
            actor=ef.actor("sho"), version=paper, number=1, text="  वैशाली कांड 45/2025 "
        )
        page.refresh_from_db()
        assert page.corrected_text == "वैशाली कांड 45/2025" and page.text == "पृष्ठ 1 महुआ page 1"
        assert page.searchable_text == "वैशाली कांड 45/2025"
        assert page.corrected_by == ef.people["sho"] and page.corrected_at is not None
        event = AuditEvent.objects.get(action="document.page_correct")
        assert (event.target_type, event.target_id, event.post_id) == (
            "document",
            str(paper.document_id),
            ef.posts["sho"].pk,
        )
        assert event.details == {"version": 1, "page": 1, "characters": len("वैशाली कांड 45/2025")}


def test_manual_index_of_an_empty_page_goes_into_search_and_audit(ef, paper):
    with district_context("vaishali"):
        page = document_page_index(
            actor=ef.actor("sdpo"),
            version=paper,
            number=2,
            names="राम कुमार, Shyam Kumar",
            dates="12.03.2019",
            case_number="Mahua PS 45/2019",
        )
        page.refresh_from_db()
        assert page.status == DocumentPage.Status.INDEXED and page.indexed_by == ef.people["sdpo"]
        assert page.searchable_text == "राम कुमार, Shyam Kumar\n12.03.2019\nMahua PS 45/2019"
        event = AuditEvent.objects.get(action="document.page_index")
        assert event.post_id == ef.posts["sdpo"].pk and event.target_id == str(paper.document_id)
        assert event.details["case_number"] == "Mahua PS 45/2019" and event.details["page"] == 2


@pytest.mark.parametrize(
    ("number", "text", "field"),
    [
        (1, "", "text"),
        (1, "   \n ", "text"),
        (1, "x" * (PAGE_TEXT_MAX + 1), "text"),
        (1, "nul\x00byte", "text"),
        (3, "a page that is not there", "page"),
        (0, "page zero", "page"),
        ("abc", "not a number", "page"),
    ],
)
def test_bad_correction_is_refused_on_its_field_and_writes_nothing(ef, paper, number, text, field):
    with district_context("vaishali"):
        before = _state(paper)
        with pytest.raises(ValidationError) as refused:
            document_page_correct(actor=ef.actor("sho"), version=paper, number=number, text=text)
        assert field in refused.value.message_dict
        assert _state(paper) == before and _edits() == 0


@pytest.mark.parametrize(
    ("number", "fields", "message"),
    [
        (2, {}, "Fill in at least one"),
        (2, {"names": " ", "dates": "", "case_number": ""}, "Fill in at least one"),
        (2, {"case_number": "1" * 101}, "at most 100"),
        (2, {"dates": "d" * 301}, "at most 300"),
        (1, {"names": "Ram"}, "correct its text instead"),
        (5, {"names": "Ram"}, "no such page"),
    ],
)
def test_bad_manual_index_is_refused_and_writes_nothing(ef, paper, number, fields, message):
    with district_context("vaishali"):
        before = _state(paper)
        with pytest.raises(ValidationError) as refused:
            document_page_index(actor=ef.actor("sho"), version=paper, number=number, **fields)
        assert message in " ".join(refused.value.messages)
        assert _state(paper) == before and _edits() == 0


@pytest.mark.parametrize("key", ["mahnar", "clerk", "pio"])
def test_officer_who_cannot_see_the_case_may_not_correct_or_index(ef, paper, key):
    with district_context("vaishali"):
        before = _state(paper)
        with pytest.raises(ValidationError):
            document_page_correct(actor=ef.actor(key), version=paper, number=1, text="probe")
        with pytest.raises(ValidationError):
            document_page_index(actor=ef.actor(key), version=paper, number=2, names="probe")
        assert _state(paper) == before and _edits() == 0


def test_only_the_holder_of_a_files_current_post_may_correct_its_papers(ef):
    from core.efile.services.documents import document_upload
    from tests.core.efile.samples import upload

    with district_context("vaishali"):
        file = gen_file(ef.actor("clerk"), ef.posts["clerk"], "Old case papers")
        (document,) = document_upload(
            actor=ef.actor("clerk"), file=file, uploads=[upload("a.pdf", ocrwork.small_scan_pdf(1))]
        )
        version = document.versions.get()
        ocrwork.read_as(version, "read")
        with pytest.raises(ValidationError, match="not at your post"):
            document_page_correct(
                actor=ef.actor("sp"), version=version, number=1, text="the SP sees it, holds it not"
            )
        document_page_correct(actor=ef.actor("clerk"), version=version, number=1, text="कार्यालय आदेश")
        assert AuditEvent.objects.get(action="document.page_correct").post_id == ef.posts["clerk"].pk
