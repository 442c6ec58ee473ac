"""Issue 15, section 2, in a real Chromium at a phone's width (390 px): the SP reads the letter
inside the file. A clerk diarised a two-page letter with its scan, put it in a file and sent the
file to the SP; the SP opens the file from the inbox and reads page one in the page, turns to page
two, enlarges it and fits it back, in English and in Hindi, with nothing downloaded and no CSP
violation.

It runs in a district of its own, provisioned for the test and dropped afterwards, so its audit
events (which nobody can delete) never reach the session's districts. Screenshots go to
``KARYALAY_SCREENSHOTS`` when set (to look at them), else to the test's temporary folder.
"""

import datetime
import io
import os
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image, ImageDraw, ImageFont

from core.base.audit import Actor
from core.efile.services.documents import document_upload
from core.efile.services.files import file_create
from core.efile.services.movement import file_send
from core.efile.services.receipts import receipt_attach, receipt_diarise
from core.models import AuditEvent, EFile, FileHead, Office, Post
from core.org import services as core_services
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants.context import district_context
from tests.browser import browser, districts_of_its_own, in_thread, site  # noqa: F401 (fixtures)
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

SLUG = "file-reader"
SUBJECT = "Go-live of e-Office in Vaishali (reader journey)"
LINES = [
    [
        "Office of the Inspector General of Police, Tirhut Range",
        "To: The Superintendent of Police, Vaishali",
        "Subject: Go-live of e-Office, phase 1",
        "",
        "Work on e-Office shall begin in the SP office,",
        "the police line and the SDPO offices of Mahua,",
        "Mahnar and Lalganj from 20 March.",
    ],
    ["Page two: list of officers trained", "1. SDPO Mahua", "2. SDPO Mahnar", "3. SDPO Lalganj"],
]


def _letter_pdf() -> bytes:
    """A scanned two-page letter: each page an image of typed lines, as a scanner makes."""
    font = ImageFont.load_default(size=26)
    pages = []
    for lines in LINES:
        page = Image.new("RGB", (850, 1100), "white")
        draw = ImageDraw.Draw(page)
        for row, line in enumerate(lines):
            draw.text((60, 80 + row * 44), line, fill="black", font=font)
        pages.append(page)
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=100)
    return out.getvalue()


def _create(world) -> dict:
    """An SP office with a dak clerk (the session's clerk) and the SP (the session's Muzaffarpur
    SDPO, posted here too); the letter diarised with its scan, put in a file sent to the SP."""
    try:
        district = district_provision(
            spec=DistrictSpec(slug=SLUG, name="Reader", name_hi="पाठक", range_name="Tirhut")
        )
        with district_context(district.schema_name):
            office = Office.objects.get(code="sp-office")
            office.abbr = "SPR"
            office.save(update_fields=["abbr"])
            posts = {}
            for key, person, title, title_hi, kind in (
                ("clerk", world.vaishali_clerk, "Dak clerk", "डाक लिपिक", Post.Kind.CLERK),
                ("sp", world.muzaffarpur_officer, "SP", "पुलिस अधीक्षक", Post.Kind.SP),
            ):
                posts[key] = core_services.post_create(
                    office=office, code=key, title=title, title_hi=title_hi, kind=kind
                )
                core_services.posting_start(
                    person=person, post=posts[key], starts_on=datetime.date(2025, 1, 1)
                )
            clerk = Actor(person=world.vaishali_clerk, post_id=posts["clerk"].pk)
            receipt = receipt_diarise(
                actor=clerk,
                post=posts["clerk"],
                mode="post",
                sender="IG Tirhut",
                subject="Go-live of e-Office, phase 1",
            )
            (scan,) = document_upload(
                actor=clerk,
                receipt=receipt,
                uploads=[SimpleUploadedFile("ig-letter.pdf", _letter_pdf(), "application/pdf")],
            )
            file = file_create(
                actor=clerk,
                post=posts["clerk"],
                head=FileHead.objects.get(code="GEN", office=None),
                subject=SUBJECT,
                category=EFile.Category.ADMINISTRATION,
            )
            receipt_attach(actor=clerk, receipt=receipt, file=file)
            file_send(actor=clerk, file=file, to_post=posts["sp"])
            return {"schema": district.schema_name, "file": file.pk, "scan": scan.pk}
    finally:
        connection.close()


def _audit(schema: str, action: str) -> list:
    try:
        with district_context(schema):
            return list(AuditEvent.objects.filter(action=action).values_list("target_id", "details"))
    finally:
        connection.close()


@pytest.fixture
def reader_district(world, django_db_blocker, settings):
    with districts_of_its_own(django_db_blocker, lambda: _create(world), slugs=[SLUG]) as made:
        yield made


def _image_shown(page) -> dict:
    """The reader's page image as the browser drew it: loaded, and its width on the screen."""
    return page.eval_on_selector(
        "#reader .ef-page img",
        "img => ({loaded: img.complete && img.naturalWidth > 0, natural: img.naturalWidth,"
        " shown: img.getBoundingClientRect().width, src: img.getAttribute('src')})",
    )


def test_the_sp_reads_the_letter_inside_the_file(  # noqa: F811
    site, browser, reader_district, tmp_path, django_db_blocker
):
    shots = Path(os.environ.get("KARYALAY_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    base = f"http://{SLUG}.localhost:{site}"
    file_id, scan_id = reader_district["file"], reader_district["scan"]
    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    downloads = []
    page = context.new_page()
    page.on("download", lambda download: downloads.append(download))
    csp_violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and csp_violations.append(m.text))
    page.goto(f"{base}/inbox/")
    page.fill("input[name=login]", "sdpo.east")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/inbox/")

    for language in ("en", "hi"):
        if language == "hi":
            page.click("form.lang button[value=hi]")
            page.wait_for_load_state()
            assert page.locator("html").get_attribute("lang") == "hi"
        # The SP opens the file from the inbox: the letter's first page is in the file page.
        page.goto(f"{base}/inbox/")
        page.click(f"main tr:has-text('{SUBJECT}') th a")
        page.wait_for_url(f"{base}/files/{file_id}/")
        page.locator("#reader").scroll_into_view_if_needed()
        page.wait_for_load_state("load")  # images included (no wait_for_function: the CSP allows no eval)
        shown = _image_shown(page)
        assert shown["loaded"] and shown["src"] == f"/documents/{scan_id}/v1/pages/1.png", shown
        assert shown["shown"] <= 390  # fitted to the phone's width
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
        assert "ig-letter" in page.inner_text("#papers-h ~ ul")
        page.locator("#reader").screenshot(path=str(shots / f"reader-file-page-{language}.png"))

        # Turns to page two.
        page.click("#reader nav a[rel=next]")
        page.wait_for_url(f"{base}/files/{file_id}/read/?*")
        page.wait_for_load_state("load")  # images included (no wait_for_function: the CSP allows no eval)
        shown = _image_shown(page)
        assert shown["loaded"] and shown["src"] == f"/documents/{scan_id}/v1/pages/2.png", shown
        assert page.locator("#reader nav a[rel=prev]").count() == 2  # at the top and at the foot
        assert page.locator("#reader nav a[rel=next]").count() == 0
        page.screenshot(path=str(shots / f"reader-page-2-{language}.png"))

        # Enlarges it: twice the pixels, wider than the screen, scrolled inside its frame only.
        page.click("#reader a.ef-reader-zoom")
        page.wait_for_url(f"{base}/files/{file_id}/read/?*zoom=wide*")
        page.wait_for_load_state("load")  # images included (no wait_for_function: the CSP allows no eval)
        shown = _image_shown(page)
        assert shown["loaded"] and shown["natural"] > 1000 and shown["shown"] > 390, shown
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(shots / f"reader-enlarged-{language}.png"))

        # And fits it back to the screen, on page two still.
        page.click("#reader a.ef-reader-zoom")
        page.wait_for_url(re.compile(r".*/read/\?doc=\d+&v=1&page=2#reader$"))
        page.wait_for_load_state("load")  # images included (no wait_for_function: the CSP allows no eval)
        shown = _image_shown(page)
        assert shown["src"] == f"/documents/{scan_id}/v1/pages/2.png" and shown["shown"] <= 390, shown

    assert not downloads and not csp_violations, (downloads, csp_violations)
    # "Download" is the separate action: a file saved, and an event of its own.
    with page.expect_download() as saved:
        page.click("#reader a.ef-reader-download")
    assert saved.value.suggested_filename == "ig-letter.pdf"
    with django_db_blocker.unblock():
        looks = in_thread(lambda: _audit(reader_district["schema"], "document.page_view"))
        downloaded = in_thread(lambda: _audit(reader_district["schema"], "document.download"))
    # Every look at a page is in the audit trail: in each language page one on the file page, then
    # page two in the reader, enlarged and fitted back; and page two once more when the language
    # changed on it. The one download is recorded as such.
    # (The offline worker's saves of the pages shown are recorded too, marked as saved for offline.)
    pages = sorted(
        details["page"] for target, details in looks if target == str(scan_id) and "saved" not in details
    )
    saved = [details for target, details in looks if target == str(scan_id) and "saved" in details]
    assert saved and all(details["saved"] == "offline" for details in saved), saved
    assert pages == [1] * 2 + [2] * 7
    assert [target for target, _details in downloaded] == [str(scan_id)]
