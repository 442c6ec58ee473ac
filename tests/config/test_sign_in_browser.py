"""The journey that matters most, in a real Chromium: an officer signs in on their district.

The site runs in its own process (``runserver``) against the test database, on the districts the
session fixture committed. Chromium resolves ``*.localhost`` to the loopback address itself.
"""

import pytest

from tests.browser import browser, site  # noqa: F401 (fixtures)
from tests.helpers import PASSWORD, SIGN_IN_FAILED

pytestmark = pytest.mark.browser


def test_officer_signs_in_on_vaishali_switches_to_hindi_and_is_a_stranger_on_muzaffarpur(
    site, browser, tmp_path
):
    page = browser.new_page()
    page.goto(f"http://vaishali.localhost:{site}/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=login]", "sdpo.mahua")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"http://vaishali.localhost:{site}/")
    assert "SDPO Mahua" in page.content()
    assert "Vaishali" in page.inner_text("header")
    page.screenshot(path=str(tmp_path / "desk-en.png"))

    page.click("button[name=language][value=hi]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "hi"
    assert "वैशाली" in page.inner_text("header")
    assert "मेरा डेस्क" in page.inner_text("main")
    page.screenshot(path=str(tmp_path / "desk-hi.png"))

    page.goto(f"http://muzaffarpur.localhost:{site}/")
    assert "/accounts/login/" in page.url

    page.goto(f"http://nowhere.localhost:{site}/")
    assert "Vaishali" not in page.content()
    page.close()


def test_officer_of_vaishali_is_refused_on_muzaffarpur_as_for_a_wrong_password(site, browser):
    page = browser.new_page()
    page.goto(f"http://muzaffarpur.localhost:{site}/accounts/login/")
    page.fill("input[name=login]", "sdpo.mahua")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert SIGN_IN_FAILED in page.content() and "no posting" not in page.content()
    page.close()
