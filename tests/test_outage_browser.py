"""Issue 18, point 5, in a real Chromium: the SP declares an outage of the SP office and prints its
paper registers; the dak clerk back-enters a letter (with the scanned register page) and its
marking to the SP with their true times; a back-entry dated in the future is refused on the form;
the "back-entered" marks show on the dak page, its track and the SP's inbox; the outage's report
lists both. Screenshots at 390 px in English and in Hindi (kept in the test's folder or in
KARYALAY_SCREENSHOTS), each checked for no horizontal scrolling.

It runs in a district of its own, provisioned for the test and dropped afterwards."""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from PIL import Image

from core.models import BackEntry, Outage, Receipt
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants.context import district_context
from tests.browser import (  # noqa: F401 (fixtures)
    browser,
    districts_of_its_own,
    in_thread,
    sign_in_at,
    site,
    sp_and_dak_clerk,
    the_sp_office,
)

pytestmark = pytest.mark.browser

SLUG = "outage-run"
FORMAT = "%Y-%m-%dT%H:%M"


def _create(world) -> dict:
    """The SP office with the SP (held by the session's SDPO Mahua) and a dak clerk."""
    try:
        district = district_provision(
            spec=DistrictSpec(slug=SLUG, name="Outage", name_hi="आउटेज", range_name="Tirhut")
        )
        with district_context(district.schema_name):
            office = the_sp_office("SPOUT")
            sp, _clerk = sp_and_dak_clerk(world, office, starts_on=datetime.date(2025, 1, 1))
            return {"office": office.pk, "sp": sp.pk, "schema": district.schema_name}
    finally:
        connection.close()


def _db(schema: str, function):
    def run():
        try:
            with district_context(schema):
                return function()
        finally:
            connection.close()

    return in_thread(run)


@pytest.fixture
def outage_district(world, django_db_blocker):
    with districts_of_its_own(django_db_blocker, lambda: _create(world), slugs=[SLUG]) as made:
        yield made


def _scan() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1240, 1754), "white").save(buffer, "PNG")
    return buffer.getvalue()


def _sign_in(browser, base: str, login: str, width: int = 390):
    context = browser.new_context(viewport={"width": width, "height": 844})
    return context, sign_in_at(context.new_page(), base, login, "/outages/", language="en")


def _fits(page) -> bool:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return width <= inner


def _local(moment) -> str:
    return timezone.localtime(moment).strftime(FORMAT)


def test_outage_declared_printed_back_entered_and_marked(  # noqa: F811
    site, browser, outage_district, world, django_db_blocker, tmp_path
):
    base = f"http://{SLUG}.localhost:{site}"
    shots = Path(os.environ.get("KARYALAY_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    errors: list[str] = []
    unfit: list[str] = []

    def shot(page, name):
        page.screenshot(path=str(shots / f"outage-{name}-390.png"), full_page=True)
        if not _fits(page):
            unfit.append(name)

    # The SP declares an outage of the SP office, from three hours ago.
    sp_context, sp = _sign_in(browser, base, "sdpo.mahua")
    sp.on("pageerror", lambda error: errors.append(str(error)))
    sp.click("a:text('Declare an outage')")
    sp.select_option("select[name=office]", str(outage_district["office"]))
    sp.fill("input[name=started_at]", _local(now - datetime.timedelta(hours=3)))
    sp.fill("input[name=reason]", "Fibre cut at Hajipur exchange")
    sp.fill("input[name=diary_count]", "5")
    sp.fill("input[name=slip_count]", "5")
    shot(sp, "declare-en")
    sp.click("#declare-form button[type=submit]")
    sp.wait_for_selector("#outage-report")
    outage_url = sp.url.removeprefix(base)
    shot(sp, "outage-en")
    # The paper registers: PDFs carrying the reserved numbers' office.
    for kind in ("diary", "slip"):
        href = sp.get_attribute(f"#register-{kind}", "href")
        # Fetched by the page (its cookies, its host name): the status, type and first bytes.
        status, kind_header, head = sp.evaluate(
            """async url => { const r = await fetch(url); const b = new Uint8Array(await r.arrayBuffer());
               return [r.status, r.headers.get('content-type'), String.fromCharCode(...b.slice(0, 4))]; }""",
            href,
        )
        assert (status, kind_header, head) == (200, "application/pdf", "%PDF")

    with django_db_blocker.unblock():
        numbers = _db(
            outage_district["schema"],
            lambda: {
                kind: list(
                    Outage.objects.get()
                    .numbers.filter(kind=kind)
                    .order_by("serial")
                    .values_list("number", flat=True)
                )
                for kind in ("diary", "slip")
            },
        )
    assert len(numbers["diary"]) == 5 and numbers["diary"][0].startswith("SPOUT/")

    # The clerk back-enters the letter received on paper two hours ago, with its scan.
    clerk_context, clerk = _sign_in(browser, base, "clerk.vaishali")
    clerk.on("pageerror", lambda error: errors.append(str(error)))
    clerk.goto(f"{base}{outage_url}")
    clerk.click("a:text('Back-enter dak')")
    received = now - datetime.timedelta(hours=2)
    clerk.fill("input[name=number]", numbers["diary"][0])
    clerk.select_option("select[name=mode]", "post")
    clerk.fill("input[name=sender]", "पुलिस महानिरीक्षक, तिरहुत क्षेत्र")
    clerk.fill("input[name=subject]", "Flood duty roster for the Ganga ghats")
    # First a time in the future: refused on the form, nothing written.
    clerk.fill("input[name=occurred_at]", _local(now + datetime.timedelta(hours=2)))
    clerk.click("#back-entry-form button[type=submit]")
    clerk.wait_for_selector(".errorlist")
    assert "cannot be in the future" in clerk.inner_text("main")
    shot(clerk, "refused-en")
    clerk.fill("input[name=occurred_at]", _local(received))
    clerk.set_input_files(
        "input[name=scans]", files=[{"name": "register-page.png", "mimeType": "image/png", "buffer": _scan()}]
    )
    clerk.click("#back-entry-form button[type=submit]")
    clerk.wait_for_selector("#outage-report")
    assert f"Back-entered as {numbers['diary'][0]}" in clerk.inner_text("body")

    # Its marking to the SP, on movement slip 1, an hour and a half ago.
    clerk.click("a:text('Back-enter a movement')")
    option = clerk.locator("select[name=item] option", has_text=numbers["diary"][0]).get_attribute("value")
    clerk.select_option("select[name=item]", option)
    clerk.select_option("select[name=to_post]", str(outage_district["sp"]))
    clerk.fill("input[name=number]", numbers["slip"][0])
    clerk.fill("input[name=occurred_at]", _local(now - datetime.timedelta(minutes=90)))
    clerk.fill("textarea[name=remarks]", "For orders")
    shot(clerk, "back-move-en")
    clerk.click("#back-entry-form button[type=submit]")
    clerk.wait_for_selector("#outage-report")
    report = clerk.inner_text("#outage-report")
    assert "dak 1, notes 0, movements 1" in report
    assert numbers["diary"][0] in report and numbers["slip"][0] in report
    assert "diary numbers 4, movement slips 4" in report
    shot(clerk, "report-en")

    with django_db_blocker.unblock():
        receipt_id, true_time = _db(
            outage_district["schema"],
            lambda: (
                Receipt.objects.filter(diary_number=numbers["diary"][0]).values_list("pk", "created_at").get()
            ),
        )
        assert _db(outage_district["schema"], lambda: BackEntry.objects.count()) == 2
    assert abs((true_time - received).total_seconds()) < 60

    # The marks: on the dak page (received and both steps of its track) and in the SP's inbox.
    clerk.goto(f"{base}/dak/{receipt_id}/")
    assert clerk.locator(".ef-back-entered").count() >= 3
    assert "back-entered (true time" in clerk.inner_text("main")
    shot(clerk, "dak-en")
    sp.goto(f"{base}/inbox/")
    row = sp.locator("table.ef-tray tbody tr", has_text=numbers["diary"][0])
    assert row.locator(".ef-back-entered").count() == 1
    shot(sp, "inbox-en")

    # The same pages in Hindi.
    sp.click("form.lang button[value=hi]")
    sp.wait_for_selector("html[lang=hi]")
    for name, url in (
        ("inbox", "/inbox/"),
        ("outage", outage_url),
        ("dak", f"/dak/{receipt_id}/"),
        ("back-dak", f"{outage_url}back-entry/dak/"),
    ):
        response = sp.goto(f"{base}{url}")
        assert response.status == 200, name
        if name in ("inbox", "dak"):
            assert sp.locator(".ef-back-entered").count() >= 1, name
        shot(sp, f"{name}-hi")
    sp.click("form.lang button[value=en]")
    sp.wait_for_selector("html[lang=en]")
    sp_context.close()
    clerk_context.close()
    assert not unfit, unfit
    assert not errors, errors
