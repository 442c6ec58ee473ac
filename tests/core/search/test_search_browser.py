"""Issue 15's journey in a real Chromium at a phone's width (390 px): the SDPO and the dak clerk,
neither of whom sees the whole district, search from the search page, in English and in Hindi,
and each search answers within a second (it took 12-30 s while the sight rules were nested
subqueries JIT-compiled in every statement); the SDPO types "mahau" and follows the page's
"did you mean Mahua", in both languages."""

import time

import pytest

from tests.browser import browser, in_thread, site  # noqa: F401 (fixtures)
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
            # The best of three tries: one try can meet a pause of the shared CI machine (two
            # suites run side by side); a search as slow as before (5-30 s) fails all three.
            took = []
            for _try in range(3):
                box = page.locator("form.search-form input[name=q]").first
                box.fill(q)
                started = time.monotonic()
                with page.expect_navigation(wait_until="load"):
                    box.press("Enter")
                took.append(time.monotonic() - started)
                assert page.locator("form.search-form input[name=q]").first.input_value() == q
                if took[-1] < WITHIN:
                    break
            assert min(took) < WITHIN, (login, language, q, took)
        page.screenshot(path=str(tmp_path / f"search-{login}-{language}.png"), full_page=True)
    context.close()


def _index_vaishali() -> None:
    """Vaishali's index and word dictionary built from its records (the officers posted there,
    "SDPO Mahua" among them): what the typo is matched against."""
    from django.db import connection

    from core.search.index import search_index_rebuild
    from tenants.context import district_context

    try:
        with district_context("vaishali"):
            search_index_rebuild()
    finally:
        connection.close()


def test_sdpo_follows_did_you_mean_for_a_typo_in_both_languages(
    site, browser, world, django_db_blocker, tmp_path
):  # noqa: F811
    with django_db_blocker.unblock():
        in_thread(_index_vaishali)
    base = f"http://vaishali.localhost:{site}"
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(15000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/search/")
    page.fill("input[name=login]", "sdpo.mahua")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/search/")
    for language in ("en", "hi"):
        # The language is the officer's, saved on the account: a journey before may have left Hindi.
        if page.get_attribute("html", "lang") != language:
            page.click(f"header button[name=language][value={language}]")
            page.wait_for_url(f"{base}/search/**")
        assert page.get_attribute("html", "lang") == language
        box = page.locator("form.search-form input[name=q]").first
        box.fill("mahau")
        with page.expect_navigation(wait_until="load"):
            box.press("Enter")
        offer = page.locator("p.search-suggestion")
        assert offer.is_visible(), language
        if language == "en":  # in Hindi "क्या आपका आशय था:" once locale/pending/words.po is merged
            assert "Did you mean:" in offer.inner_text()
        link = offer.locator("a[lang=en]")
        assert link.inner_text() == "Mahua"
        where = link.bounding_box()
        assert where["x"] + where["width"] <= 390, where  # on the screen at 390 px
        page.screenshot(path=str(tmp_path / f"did-you-mean-{language}.png"), full_page=True)
        with page.expect_navigation(wait_until="load"):
            link.click()
        assert page.locator("form.search-form input[name=q]").first.input_value() == "Mahua"
        assert page.locator("p.search-suggestion").count() == 0
        assert page.locator("ol.search-hits mark").first.inner_text().lower() == "mahua"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []
    context.close()
