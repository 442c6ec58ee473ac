"""Issue 18, point 2, in a real Chromium at 390 px (and 360 px): every page an officer uses (the
trays, a file, its track and history, the file register, dak and the inward register, a document in
the reader, search, cases, RTI, a person's card) fits the screen (no horizontal scrolling), in
English and in Hindi; the tables' rows are stacked with each cell naming its column; on the file
page the noting and the papers come before the movement controls. A screenshot of each page is
kept in the test's folder (or in KARYALAY_SCREENSHOTS).

It runs in a district of its own, provisioned for the test and dropped afterwards."""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from PIL import Image

from core.base.audit import Actor
from core.cases.services.register import case_register
from core.efile.services.drafts import draft_create
from core.efile.services.movement import file_send
from core.efile.services.notes import note_add
from core.efile.services.receipts import receipt_diarise
from core.models import Office, RtiApplication
from core.org import services as core_services
from core.rti.services.applications import rti_receive
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants.context import district_context
from tests.browser import browser, districts_of_its_own, in_thread, site, sp_and_dak_clerk, the_sp_office  # noqa: F401 (fixtures)
from tests.core.efile.filework import gen_file
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

SLUG = "phone-layout"
SUBJECT = "Computers, UPS and internet for the SDPO office Mahua before go-live (phase 1 of e-Office)"
NOTE = (
    "The SDPO office has two computers; a third is needed for the reader. Quotation of M/s "
    "Hajipur Computers attached at C/1. Submitted for orders.\n\nसंलग्न कोटेशन के अनुसार "
    "व्यय की स्वीकृति हेतु प्रस्तुत।"
)


def _create(world) -> dict:
    """SP office with the SP (the session's SDPO Mahua holds it) and a dak clerk, a thana under it;
    a file sent by the clerk to the SP with a note and a draft letter, a letter diarised, a case at
    the thana and an RTI application."""
    try:
        district = district_provision(
            spec=DistrictSpec(slug=SLUG, name="Phone", name_hi="फ़ोन", range_name="Tirhut")
        )
        with district_context(district.schema_name):
            office = the_sp_office("SPPH")
            thana = core_services.office_create(
                code="ps-mahua", name="Mahua PS", name_hi="महुआ थाना", kind=Office.Kind.THANA, parent=office
            )
            sp, clerk = sp_and_dak_clerk(world, office, starts_on=datetime.date(2025, 1, 1))
            as_clerk = Actor(person=world.vaishali_clerk, post_id=clerk.pk)
            as_sp = Actor(person=world.vaishali_officer, post_id=sp.pk)
            file = gen_file(as_clerk, clerk, SUBJECT)
            note_add(actor=as_clerk, file=file, body=NOTE)
            draft_create(
                actor=as_clerk,
                file=file,
                addressee="M/s Hajipur Computers, Station Road, Hajipur",
                subject="Supply order: one computer with UPS",
                body="Please supply one desktop computer with a 1 kVA UPS to the SDPO office Mahua.",
            )
            file_send(
                actor=as_clerk,
                file=file,
                to_post=sp,
                remarks="For orders on the quotation",
                due_on=timezone.localdate() + datetime.timedelta(days=3),
            )
            receipt = receipt_diarise(
                actor=as_sp,
                post=sp,
                mode="post",
                sender="पुलिस महानिरीक्षक, तिरहुत क्षेत्र, मुजफ्फरपुर",
                subject="इ-ऑफिस पर कार्य प्रारंभ करने के संबंध में",
                letter_reference="Memo No. 1234/e-Office/2025",
            )
            case = case_register(
                actor=as_sp,
                thana=thana,
                year=timezone.localdate().year,
                fir_number=123,
                registered_on=timezone.localdate() - datetime.timedelta(days=10),
                sections="BNS 303(2), 317(2)",
                brief_facts="Theft of a motorcycle from the Mahua market.",
                complainant="सुरेश प्रसाद, ग्राम महुआ",
            )
            rti = rti_receive(
                actor=as_sp,
                office=office,
                received_on=timezone.localdate() - datetime.timedelta(days=3),
                mode=RtiApplication.Mode.BY_HAND,
                applicant_name="सुरेश प्रसाद",
                applicant_address="ग्राम महुआ, वैशाली",
                subject="Copy of the FIR of Mahua PS case 123 and the progress of its investigation",
                pio_post=sp,
            )
            return {"file": file.pk, "receipt": receipt.pk, "case": case.pk, "rti": rti.pk}
    finally:
        connection.close()


@pytest.fixture
def phone_district(world, django_db_blocker):
    with districts_of_its_own(django_db_blocker, lambda: _create(world), slugs=[SLUG]) as made:
        yield made


def _scan() -> bytes:
    """A page-sized scan, as a PNG."""
    image = Image.new("RGB", (1240, 1754), "white")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _widths(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def _pages(made: dict, person_id: int) -> dict[str, str]:
    return {
        "inbox": "/inbox/",
        "sent": "/inbox/sent/",
        "parked": "/inbox/parked/",
        "closed": "/inbox/closed/",
        "notifications": "/notifications/",
        "file": f"/files/{made['file']}/",
        "file-track": f"/files/{made['file']}/track/",
        "file-history": f"/files/{made['file']}/history/",
        "file-register": "/files/register/",
        "dak": f"/dak/{made['receipt']}/",
        "dak-new": "/dak/new/",
        "inward-register": "/dak/register/inward/",
        "search": "/search/?q=mahua",
        "cases": "/cases/",
        "case": f"/cases/{made['case']}/",
        "rti-list": "/rti/",
        "rti": f"/rti/{made['rti']}/",
        "person": f"/people/{person_id}/",
    }


def test_every_officer_page_fits_a_phone_in_english_and_hindi(  # noqa: F811
    site, browser, phone_district, world, tmp_path
):
    base = f"http://{SLUG}.localhost:{site}"
    shots = Path(os.environ.get("KARYALAY_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/inbox/")
    page.fill("input[name=login]", "sdpo.mahua")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/inbox/")

    # A scan on the file, opened in the reader: the document page.
    page.goto(f"{base}/files/{phone_district['file']}/")
    page.set_input_files(
        "input[name=files]", files=[{"name": "quotation.png", "mimeType": "image/png", "buffer": _scan()}]
    )
    page.fill("input[name=title]", "Quotation of M/s Hajipur Computers")
    page.locator("form:has(input[name=files]) button[type=submit]").click()
    page.wait_for_load_state()
    page.click("main a:text('Quotation of M/s Hajipur Computers')")
    page.wait_for_load_state()
    assert "/read/" in page.url
    document_url = page.url.removeprefix(base)

    pages = _pages(phone_district, world.vaishali_officer.pk) | {"document": document_url}
    measured: dict[str, tuple[int, int]] = {}
    for language in ("en", "hi"):
        if language == "hi":
            page.goto(f"{base}/inbox/")
            page.click("form.lang button[value=hi]")
            page.wait_for_selector("html[lang=hi]")
        for name, url in pages.items():
            response = page.goto(f"{base}{url}")
            assert response.status == 200, (name, url, response.status)
            assert page.locator("html").get_attribute("lang") == language
            page.screenshot(path=str(shots / f"{name}-{language}-390.png"), full_page=True)
            measured[f"{name}-{language}"] = _widths(page)
        # The narrowest phones in use: 360 px.
        page.set_viewport_size({"width": 360, "height": 780})
        for name, url in pages.items():
            page.goto(f"{base}{url}")
            measured[f"{name}-{language}-360"] = _widths(page)
        page.set_viewport_size({"width": 390, "height": 844})

    page.click("form.lang button[value=en]")  # the account's language back as it was
    page.wait_for_selector("html[lang=en]")
    context.close()
    print("\nscrollWidth / innerWidth:", " ".join(f"{k}={w}/{i}" for k, (w, i) in measured.items()))
    wider = {name: widths for name, widths in measured.items() if widths[0] > widths[1]}
    assert not wider, wider
    assert not errors, errors


def test_on_a_phone_the_file_reads_noting_and_papers_first_and_the_inbox_rows_name_their_columns(  # noqa: F811
    site, browser, phone_district, tmp_path
):
    base = f"http://{SLUG}.localhost:{site}"
    shots = Path(os.environ.get("KARYALAY_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{base}/inbox/")
    page.fill("input[name=login]", "sdpo.mahua")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/inbox/")
    if page.locator("html").get_attribute("lang") != "en":  # another test left the account in Hindi
        page.click("form.lang button[value=en]")
        page.wait_for_selector("html[lang=en]")

    # The inbox: one row per item, stacked; "From", "Arrived" and "Due by" on the screen.
    row = page.locator("table.ef-tray tbody tr").first
    labels = row.locator("td").evaluate_all("cells => cells.map(c => c.dataset.label)")
    assert {"From", "Arrived", "Due by"} <= set(labels)
    for cell in row.locator("td").all():
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    before = row.locator("td", has_text="For orders").evaluate("c => getComputedStyle(c, '::before').content")
    assert before == '"From: "'

    def top(selector: str) -> float:
        return page.locator(selector).bounding_box()["y"]

    page.goto(f"{base}/files/{phone_district['file']}/")
    assert top("section.ef-noting") < top("section.ef-correspondence") < top("section.ef-actions")
    assert top("section.ef-drafts") < top("section.ef-actions")
    # On a desk's screen the page keeps its order: the movement controls above the noting.
    page.set_viewport_size({"width": 1280, "height": 900})
    assert top("section.ef-actions") < top("section.ef-noting")
    page.screenshot(path=str(shots / "file-en-1280.png"), full_page=True)
    page.goto(f"{base}/inbox/")
    assert page.locator("table.ef-tray thead").is_visible()  # a table again, with its header
    page.screenshot(path=str(shots / "inbox-en-1280.png"), full_page=True)
    context.close()
