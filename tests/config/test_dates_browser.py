"""Dates in both languages, in a real Chromium at a phone's width (390 px) set to American English,
whose own date picker writes a day as mm/dd/yyyy: the dak clerk's pages write every day one way
("9 May 2025" / "9 मई 2025"), and every date input says, beside it, the day it holds in that form."""

import re

import pytest
from django.utils import formats, timezone, translation

from tests.browser import browser, site  # noqa: F401 (fixtures)
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

AMBIGUOUS = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{4}\b")


def _one_form(language: str) -> re.Pattern:
    """A day written the one way: "9 May 2025" / "9 मई 2025", with any month of the language."""
    import datetime

    with translation.override(language):
        months = [formats.date_format(datetime.date(2025, m, 1), "E") for m in range(1, 13)]
    return re.compile(r"\b\d{1,2} (" + "|".join(months) + r") \d{4}\b")


def _today(language: str) -> str:
    with translation.override(language):
        return formats.date_format(timezone.localdate(), "DATE_FORMAT")


def test_dak_clerk_reads_and_picks_days_one_way_in_english_and_hindi(site, browser, world, tmp_path):  # noqa: F811
    base = f"http://vaishali.localhost:{site}"
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    page = context.new_page()
    page.goto(f"{base}/dak/new/")
    page.fill("input[name=login]", "clerk.vaishali")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/dak/new/")

    for language, may in (("en", "9 May 2025"), ("hi", "9 मई 2025")):
        if language == "hi":
            page.click("header button[name=language][value=hi]")
            page.wait_for_url(f"{base}/dak/new/")
        assert page.get_attribute("html", "lang") == language
        received = page.locator("input[name=received_on]")
        letter = page.locator("input[name=letter_date]")
        # Each date input has its echo, tied to it for screen readers.
        echo = page.locator(f"#{letter.get_attribute('aria-describedby').split()[-1]}")
        assert echo.inner_text().strip() == (
            f"for example {_today('en')}" if language == "en" else f"उदाहरण के लिए {_today('hi')}"
        ) or echo.inner_text().strip() == _today(language)
        letter.fill("2025-05-09")
        assert echo.inner_text().strip() == may
        received_echo = page.locator(f"#{received.get_attribute('aria-describedby').split()[-1]}")
        received.fill("2025-12-07")
        assert received_echo.inner_text().strip() == (
            "7 December 2025" if language == "en" else "7 दिसंबर 2025"
        )
        page.screenshot(path=str(tmp_path / f"dak-new-{language}.png"), full_page=True)

        # The clerk's own card: the posting's first day in the one form, nowhere in figures only.
        page.goto(f"{base}/people/{world.vaishali_clerk.pk}/")
        main = page.inner_text("main")
        assert _one_form(language).search(main), main
        assert not AMBIGUOUS.findall(page.content())
        page.screenshot(path=str(tmp_path / f"card-{language}.png"), full_page=True)
        page.goto(f"{base}/dak/new/")
    context.close()
