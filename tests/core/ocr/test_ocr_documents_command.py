"""``manage.py ocr_documents --district <slug> [--missing]``: (re)reads a district's documents."""

import pytest
from django.core.management import CommandError, call_command

from core.models.search import DocumentPage
from tenants.context import district_context
from tests.core.ocr import ocrwork


def test_missing_reads_only_versions_never_read_or_failed_and_all_reads_every_latest(ef, tesseract):
    with district_context("vaishali"):
        case = None
        done = ocrwork.case_paper(ef, ocrwork.small_scan_pdf(1), "done.pdf")
        ocrwork.read_as(done.versions.get(), "read")
        case = done.case
        failed = ocrwork.case_paper(ef, ocrwork.small_scan_pdf(1), "failed.pdf", case=case)
        ocrwork.read_as(failed.versions.get(), "failed")
        never = ocrwork.case_paper(ef, ocrwork.small_scan_pdf(1), "never.pdf", case=case)
    call_command("ocr_documents", "--district", "vaishali", "--missing")
    with district_context("vaishali"):
        statuses = {
            d.title: list(DocumentPage.objects.filter(version__document=d).values_list("status", flat=True))
            for d in (done, failed, never)
        }
        # Blank scans: read again they are pages to index by hand; the read one was left alone.
        assert statuses == {"done": ["read"], "failed": ["empty"], "never": ["empty"]}
    call_command("ocr_documents", "--district", "vaishali")
    with district_context("vaishali"):
        assert DocumentPage.objects.get(version__document=done).status == "empty"


def test_unknown_district_is_refused(world, db):
    with pytest.raises(CommandError, match="No district"):
        call_command("ocr_documents", "--district", "nowhere")
