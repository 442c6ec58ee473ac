"""The journey of issue 6 in a real Chromium: the SHO of Mahua thana registers a case, puts the
scanned FIR on it and reports progress; the SDPO reviews it with directions, which the SHO (its
IO) finds pending and marks complied; the SDPO reads the pendency report and downloads its CSV.
Then the RTI side: the dak clerk enters an application, the PIO sees its reply clock, links the
case and its FIR, replies in Hindi disclosing the FIR, and downloads the reply's PDF once the
huey consumer has made it. Every step is in the district's audit trail, in order, on a valid chain.

It runs in a district of its own, provisioned for the test and dropped afterwards, so its audit
events (which nobody can delete) never reach the session's districts.
"""

import csv
import datetime
import io
import time

import pypdf
import pytest
from django.db import connection
from django.utils import formats, timezone
from PIL import Image, ImageDraw

from core.cases.selectors.pendency import age_bucket
from core.models import Office, Post
from core.org import services as core_services
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants.context import district_context
from tenants.models import District
from tests.browser import browser, consumer, districts_of_its_own, in_thread, sign_in_at, site, the_sp_office  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

SLUG = "cases-journey"
ABBR = "SPCJ"
FIR = 123
APPLICANT = "रमेश प्रसाद"
REPLY_BODY = "आपके आवेदन के आलोक में महुआ थाना कांड की प्राथमिकी की प्रति संलग्न कर भेजी जा रही है।"
READY_WITHIN = 120  # seconds the consumer has to make the reply's PDF


def _create(world) -> dict[str, int]:
    """SP office → SDPO office Mahua → Mahua thana. The session's people hold the posts (no
    accounts to remove afterwards): the dak clerk is the Vaishali clerk; the SDPO of Mahua is the
    Vaishali SDPO, who also holds the PIO's post in the SP office; the SHO of Mahua is the
    Muzaffarpur SDPO, posted here too. The SP's post is vacant. Returns the posts' ids."""
    try:
        district = district_provision(
            spec=DistrictSpec(slug=SLUG, name="Cases journey", name_hi="कांड यात्रा", range_name="Tirhut")
        )
        with district_context(district.schema_name):
            sp_office = the_sp_office(ABBR)
            sdpo_office = core_services.office_create(
                code="sdpo-mahua",
                name="SDPO Office Mahua",
                name_hi="एसडीपीओ कार्यालय महुआ",
                kind=Office.Kind.SDPO,
                parent=sp_office,
            )
            thana = core_services.office_create(
                code="thana-mahua",
                name="Mahua Thana",
                name_hi="महुआ थाना",
                kind=Office.Kind.THANA,
                parent=sdpo_office,
            )
            posts = {}
            for key, person, office, title, title_hi, kind in (
                ("sp", None, sp_office, "SP", "पुलिस अधीक्षक", Post.Kind.SP),
                ("pio", world.vaishali_officer, sp_office, "PIO", "लोक सूचना पदाधिकारी", Post.Kind.PIO),
                ("clerk", world.vaishali_clerk, sp_office, "Dak clerk", "डाक लिपिक", Post.Kind.CLERK),
                ("sdpo", world.vaishali_officer, sdpo_office, "SDPO Mahua", "एसडीपीओ महुआ", Post.Kind.SDPO),
                ("sho", world.muzaffarpur_officer, thana, "SHO Mahua", "थानाध्यक्ष महुआ", Post.Kind.SHO),
            ):
                post = core_services.post_create(
                    office=office, code=f"cj-{key}", title=title, title_hi=title_hi, kind=kind
                )
                if person is not None:
                    core_services.posting_start(person=person, post=post, starts_on=datetime.date(2025, 1, 1))
                posts[key] = post.pk
            return posts
    finally:
        connection.close()


@pytest.fixture
def journey_district(world, django_db_blocker):
    with districts_of_its_own(django_db_blocker, lambda: _create(world), slugs=[SLUG]) as posts:
        yield posts


def _sign_in(browser, base: str, login: str):  # noqa: F811
    context = browser.new_context()
    context.set_default_timeout(15000)
    return sign_in_at(context.new_page(), base, login)


def _fir_scan() -> bytes:
    """A small scanned page: white paper with a few dark lines of "text"."""
    image = Image.new("RGB", (420, 594), "white")
    draw = ImageDraw.Draw(image)
    for top in range(60, 500, 40):
        draw.rectangle((40, top, 380, top + 12), fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _row_cells(page, table: str, first: str, second: str) -> list[str]:
    """The cells of the first row of ``table`` whose first two cells are ``first`` and ``second``."""
    rows = page.eval_on_selector_all(
        f"{table} tbody tr", "rows => rows.map(r => [...r.children].map(c => c.innerText.trim()))"
    )
    return next(row for row in rows if row[:2] == [first, second])


def _date_text(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def test_a_case_is_registered_supervised_and_its_fir_disclosed_under_rti(  # noqa: F811
    site, browser, consumer, journey_district, django_db_blocker
):
    posts = journey_district
    base = f"http://{SLUG}.localhost:{site}"
    today = timezone.localdate()
    year = today.year
    registered_on = max(datetime.date(year, 1, 1), today - datetime.timedelta(days=75))
    age = (today - registered_on).days
    label = f"Mahua PS case {FIR}/{year}"

    # 1. The SHO registers the case, naming their own post its investigating officer.
    sho = _sign_in(browser, base, "sdpo.east")
    sho.goto(f"{base}/cases/new/")
    form = "main form.stacked"
    assert sho.locator(f"{form} select[name=thana] option:checked").inner_text() == "Mahua Thana"
    sho.fill(f"{form} [name=year]", str(year))
    sho.fill(f"{form} [name=fir_number]", str(FIR))
    sho.fill(f"{form} [name=registered_on]", registered_on.isoformat())
    sho.fill(f"{form} [name=sections]", "BNS 303(2), 3(5)")
    sho.select_option(f"{form} select[name=io_post]", str(posts["sho"]))
    sho.fill(f"{form} [name=complainant]", "Ram Kumar")
    sho.fill(f"{form} [name=accused]", "Shyam Kumar")
    sho.fill(f"{form} [name=brief_facts]", "Theft of a motorcycle from the market.")
    sho.click(f"{form} button[type=submit]")
    sho.wait_for_url(f"{base}/cases/*/")
    case_url = sho.url
    main = sho.inner_text("main")
    assert f"{label} entered in the register." in main
    assert sho.inner_text("main h1") == label
    assert "SHO Mahua (Mahua Thana)" in main  # the investigating officer

    # Uploads the scanned FIR page on the Papers panel.
    sho.fill("#papers input[name=title]", "FIR, first page")
    sho.set_input_files(
        "#papers input[type=file][name=files]",
        files=[{"name": "fir-page-1.png", "mimeType": "image/png", "buffer": _fir_scan()}],
    )
    sho.click("#papers form.stacked button[type=submit]")
    sho.wait_for_url(f"{case_url}#papers")
    assert "1 document uploaded." in sho.inner_text("main")
    assert sho.locator("#papers li", has_text="FIR, first page").count() == 1
    assert "fir-page-1.png" in sho.inner_text("#papers")

    # Adds a progress report, dated the day of registration.
    progress = "form[action$='/progress/']"
    sho.fill(f"{progress} [name=reported_on]", registered_on.isoformat())
    sho.fill(f"{progress} [name=done]", "Place of occurrence inspected; statements of two witnesses taken.")
    sho.fill(f"{progress} [name=next_steps]", "Check the CCTV of the market.")
    sho.click(f"{progress} button[type=submit]")
    sho.wait_for_url(f"{case_url}#progress")
    assert "The progress report is added." in sho.inner_text("main")
    assert "Place of occurrence inspected" in sho.inner_text("main")

    # Those without sight of the case find nothing: the SP office's clerk, and the anonymous.
    clerk = _sign_in(browser, base, "clerk.vaishali")
    assert clerk.goto(case_url).status == 404
    anonymous = browser.new_context().new_page()
    assert anonymous.goto(case_url).status == 404
    anonymous.context.close()

    # 2. The SDPO opens the case and records a review with directions and a due date.
    due_on = today + datetime.timedelta(days=7)
    sdpo = _sign_in(browser, base, "sdpo.mahua")
    sdpo.goto(case_url)
    assert "Place of occurrence inspected" in sdpo.inner_text("main")
    assert sdpo.locator(f"{progress}").count() == 0  # progress is the IO's and the thana's
    review = "form[action$='/reviews/']"
    sdpo.fill(f"{review} [name=directions]", "Trace the motorcycle through its chassis number.")
    sdpo.fill(f"{review} [name=due_on]", due_on.isoformat())
    sdpo.click(f"{review} button[type=submit]")
    sdpo.wait_for_load_state()
    assert "Trace the motorcycle" in sdpo.inner_text("main")
    assert sdpo.locator("form[action*='/comply/']").count() == 0  # only the IO marks it complied

    # The SHO, as IO, finds it pending and marks it complied.
    sho.goto(f"{base}/cases/directions/")
    pending = sho.inner_text("main table")
    assert label in pending and "Trace the motorcycle" in pending
    sho.click(f"main table a:has-text('{label}')")
    sho.wait_for_url(f"{case_url}#supervision")
    comply = "form[action*='/comply/']"
    sho.fill(f"{comply} textarea", "Chassis number sent to the transport office; reply awaited.")
    sho.click(f"{comply} button[type=submit]")
    sho.wait_for_load_state()
    assert "Complied on" in sho.inner_text("#supervision ~ table")
    sho.goto(f"{base}/cases/directions/")
    assert label not in sho.inner_text("main table")
    assert "No directions pending." in sho.inner_text("main table")

    # 3. The SDPO reads the pendency report: the case is counted in its age bucket.
    bucket = str(age_bucket(age).label)
    sdpo.goto(f"{base}/cases/pendency/")
    headers = sdpo.eval_on_selector_all(
        "#pendency-counts thead th", "cells => cells.map(c => c.innerText.trim())"
    )
    assert headers[2:7] == [
        str(b) for b in ("Under 60 days", "60–90 days", "90–180 days", "180–365 days", "Over a year")
    ]
    row = _row_cells(sdpo, "#pendency-counts", "Mahua Thana", "Registered")
    column = headers.index(bucket)
    assert row[column] == "1" and row[-1] == "1"
    assert [cell for i, cell in enumerate(row[2:-1], start=2) if i != column] == ["0"] * 4
    stale = age > 30  # the one progress report is dated the day of registration
    assert (label in sdpo.inner_text("#pendency-stale")) is stale

    # And downloads the CSV: the same counts, and the stale list with the case.
    with sdpo.expect_download() as download_info:
        sdpo.click("main a[href*='format=csv']")
    download = download_info.value
    assert download.suggested_filename == f"pendency-{today.isoformat()}.csv"
    with open(download.path(), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Pendency of cases"]
    assert ["As on", today.isoformat()] in rows
    assert rows[rows.index(headers) + 1][:2] == ["Mahua Thana", "Registered"]
    csv_row = next(r for r in rows if r[:2] == ["Mahua Thana", "Registered"])
    assert csv_row[column] == "1" and csv_row[-1] == "1"
    assert next(r for r in rows if r[:2] == ["All thanas", "Total"])[-1] == "1"
    stale_rows = [r for r in rows if len(r) == 7 and r[1] == label]
    if stale:
        assert stale_rows == [
            [
                "Mahua Thana",
                label,
                "Registered",
                registered_on.isoformat(),
                "SHO Mahua",
                registered_on.isoformat(),
                str(age),
            ]
        ]
    else:
        assert stale_rows == []

    # 4. The dak clerk enters an RTI application received three days ago, for the PIO.
    received_on = today - datetime.timedelta(days=3)
    clerk.goto(f"{base}/rti/new/")
    form = "main form.stacked"
    clerk.fill(f"{form} [name=received_on]", received_on.isoformat())
    clerk.select_option(f"{form} select[name=mode]", "by_hand")
    clerk.fill(f"{form} [name=applicant_name]", APPLICANT)
    clerk.fill(f"{form} [name=applicant_address]", "ग्राम महुआ, जिला वैशाली")
    clerk.fill(f"{form} [name=subject]", f"Mahua thana case {FIR}/{year}: a copy of the FIR.")
    clerk.select_option(f"{form} select[name=fee]", "paid")
    clerk.select_option(f"{form} select[name=pio_post]", str(posts["pio"]))
    clerk.click(f"{form} button[type=submit]")
    clerk.wait_for_url(f"{base}/rti/*/")
    rti_url = clerk.url
    number = clerk.inner_text("main h1")
    assert number.startswith(f"RTI/{ABBR}/{received_on.year}/")
    assert f"{number} entered in the register." in clerk.inner_text("main")

    # The PIO opens it and sees the reply due 30 days after receipt, with the rule.
    pio = sdpo  # the SDPO holds the PIO's post too
    pio.goto(rti_url)
    reply_row = _row_cells(
        pio, "#clocks ~ table", "Reply", _date_text(received_on + datetime.timedelta(days=30))
    )
    assert reply_row[2] == "27 days left"
    assert reply_row[3] == "Reply due: 30 days from receipt (RTI Act s.7(1))"
    assert reply_row[4] == "s.7(1)"

    # Links the case, then its FIR (a case's papers can be linked once the case is).
    pio.click(f"main a[href='{rti_url.removeprefix(base)}edit/']")
    pio.wait_for_url(f"{rti_url}edit/")
    assert pio.locator("main form input[name=documents]").count() == 0
    pio.fill("main form textarea[name=cases]", f"Mahua Thana {FIR}/{year}")
    pio.click("main form button[type=submit]")
    pio.wait_for_url(rti_url)
    assert f"Case {label}" in pio.inner_text("#links ~ ul")
    pio.goto(f"{rti_url}edit/")
    assert pio.locator("main form input[name=documents]").count() == 1
    pio.check("main form input[name=documents]")
    pio.click("main form button[type=submit]")
    pio.wait_for_url(rti_url)
    links = pio.inner_text("#links ~ ul")
    assert f"Case {label}" in links and "Document FIR, first page" in links

    # Replies in Hindi, disclosing the FIR.
    pio.click(f"main a[href='{rti_url.removeprefix(base)}reply/']")
    pio.wait_for_url(f"{rti_url}reply/")
    pio.check("main form input[name=kind][value=information]")
    pio.select_option("main form select[name=language]", "hi")
    pio.fill("main form textarea[name=body]", REPLY_BODY)
    assert pio.locator("main form input[name=documents]").count() == 1
    pio.check("main form input[name=documents]")
    pio.click("main form button[type=submit]")
    pio.wait_for_url(f"{rti_url}#replies")
    assert "The reply is recorded; its PDF and zip are being prepared." in pio.inner_text("main")
    assert "Replied" in pio.inner_text("main .heading")

    # The consumer makes the PDF in the background: the page shows the link once it is ready.
    pdf_link = "#replies ~ table a[href$='/letter.pdf']"
    deadline = time.monotonic() + READY_WITHIN
    while pio.locator(pdf_link).count() == 0:
        assert time.monotonic() < deadline, f"the reply's PDF was not ready within {READY_WITHIN} s"
        assert "Failed" not in pio.inner_text("#replies ~ table")
        pio.wait_for_timeout(1000)
        pio.reload()
        pio.wait_for_load_state()
    reply_cells = pio.eval_on_selector_all(
        "#replies ~ table tbody tr:first-child td", "cells => cells.map(c => c.innerText.trim())"
    )
    assert reply_cells[1:5] == ["Information given", "Hindi", "1", "Ready"]
    with pio.expect_download() as download_info:
        pio.click(pdf_link)
    download = download_info.value
    assert download.suggested_filename.startswith(number.replace("/", "-") + "-reply-")
    with open(download.path(), "rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2  # the letter, then the FIR's page
    assert number in reader.pages[0].extract_text()

    # 5. In the district's audit trail: every step in order, on a valid chain, and every reading.
    def _trail():
        try:
            with district_context(District.objects.get(slug=SLUG).schema_name):
                from core.base.audit import audit_verify
                from core.models import AuditEvent

                events = AuditEvent.objects.filter(action__regex=r"^(case|document|rti)\.").order_by("id")
                actions = list(events.values_list("action", flat=True))
                readers = {
                    action: set(events.filter(action=action).values_list("person_login", flat=True))
                    for action in ("case.view", "rti.view", "case.pendency_report", "rti.reply_download")
                }
                return actions, readers, audit_verify().ok
        finally:
            connection.close()

    with django_db_blocker.unblock():
        actions, readers, chain_ok = in_thread(_trail)
    assert chain_ok
    reads = {"case.view", "rti.view", "case.pendency_report", "rti.reply_download"}
    reads |= {"document.download", "document.preview", "document.ocr", "document.text_view"}
    assert [action for action in actions if action not in reads] == [
        "case.register",
        "document.upload",
        "case.progress",
        "case.review",
        "case.direction_comply",
        "rti.receive",
        "rti.update",
        "rti.update",
        "rti.reply",
        "rti.reply_ready",
    ]
    assert readers == {
        "case.view": {"sdpo.east", "sdpo.mahua"},  # the clerk's and the anonymous' 404s read nothing
        "rti.view": {"clerk.vaishali", "sdpo.mahua"},
        "case.pendency_report": {"sdpo.mahua"},
        "rti.reply_download": {"sdpo.mahua"},
    }
