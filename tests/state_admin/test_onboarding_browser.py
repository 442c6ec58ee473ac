"""Onboarding in a real Chromium: a member of the state IT department signs in with TOTP, fills
the form, and watches the progress bar fill while a huey consumer provisions the district."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tests.browser import browser, consumer, site  # noqa: F401 (fixtures)
from tests.helpers import PASSWORD, district_remove, totp_fresh

pytestmark = pytest.mark.browser

SLUG = "saran-demo"


def _remove_district() -> None:
    try:
        district_remove(SLUG)
    finally:
        connection.close()


@pytest.fixture
def cleanup(world, django_db_blocker):
    yield
    # Playwright's loop runs in this thread, and Django refuses queries beside an event loop.
    with django_db_blocker.unblock(), ThreadPoolExecutor(1) as pool:
        pool.submit(_remove_district).result()


def test_staff_onboards_a_district_and_follows_the_progress_bar(
    site, browser, consumer, cleanup, world, tmp_path
):
    page = browser.new_page()
    csp_violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and csp_violations.append(m.text))
    page.goto(f"http://localhost:{site}/districts/new/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=login]", "state.staff")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/2fa/authenticate/**")
    page.fill("input[name=code]", totp_fresh(world.staff.pk))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"http://localhost:{site}/districts/new/")

    # A bad slug first: the form says why and keeps what was typed.
    page.fill("input[name=name]", "Saran")
    page.fill("input[name=name_hi]", "सारण")
    page.fill("input[name=slug]", "vaishali")
    page.fill("input[name=new_range]", "Saran")
    page.fill("input[name=admin_login_id]", "no.posting")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "already used" in page.inner_text("main")
    assert page.input_value("input[name=name_hi]") == "सारण"

    page.fill("input[name=slug]", SLUG)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/districts/{SLUG}/onboarding/")
    # A locator, not wait_for_function: the page's Content-Security-Policy allows no eval.
    page.locator("#next").wait_for(state="visible", timeout=60000)
    assert page.eval_on_selector("#bar", "b => b.value === b.max")
    assert "The district is live." in page.inner_text("#state")
    assert page.locator("#steps li.done").count() == page.locator("#steps li").count()
    page.screenshot(path=str(tmp_path / "onboarded.png"))

    page.reload()  # the bar is rebuilt from the task's record, not restarted
    assert page.eval_on_selector("#bar", "b => b.value === b.max")

    page.click("#next a")
    page.wait_for_url(f"**/districts/{SLUG}/")
    assert "सारण" in page.inner_text("main") and "No Posting" in page.inner_text("main")
    assert not csp_violations, csp_violations  # the progress script runs under the policy
    page.close()
