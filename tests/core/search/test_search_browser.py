"""Issue 15's journey in a real Chromium at a phone's width (390 px): the SDPO and the dak clerk,
neither of whom sees the whole district, search from the search page, in English and in Hindi,
and each search answers within a second (it took 12-30 s while the sight rules were nested
subqueries JIT-compiled in every statement)."""

import time

import pytest

from tests.browser import browser, site  # noqa: F401 (fixtures)
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

QUERIES = ("mahua", "महुआ", "mahau", "rollout")
WITHIN = 1.0  # seconds, in the browser, per search


@pytest.mark.parametrize("login", ["sdpo.mahua", "clerk.vaishali"])
def test_sdpo_and_dak_clerk_search_within_a_second_in_both_languages(site, browser, world, login, tmp_path):  # noqa: F811
    base = f"http://vaishali.localhost:{site}"
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(15000)
    page = context.new_page()
    page.goto(f"{base}/search/")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/search/")
    page.goto(f"{base}/search/?q=warm")  # the server's first request of a path loads its code
    for language in ("en", "hi"):
        if language == "hi":
            page.click("header button[name=language][value=hi]")
            page.wait_for_url(f"{base}/search/**")
        assert page.get_attribute("html", "lang") == language
        for q in QUERIES:
            box = page.locator("form.search-form input[name=q]").first
            box.fill(q)
            started = time.monotonic()
            with page.expect_navigation(wait_until="load"):
                box.press("Enter")
            took = time.monotonic() - started
            assert took < WITHIN, (login, language, q, took)
            assert page.locator("form.search-form input[name=q]").first.input_value() == q
        page.screenshot(path=str(tmp_path / f"search-{login}-{language}.png"), full_page=True)
    context.close()
