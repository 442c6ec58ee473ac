"""A district provisioned from its planned page with its first admin made inline (issue 15, 6),
in a real Chromium at a phone's width, in English and Hindi: the state IT department fills in only
the admin, follows the progress bar, reads the temporary password once, and the new admin's first
sign-in asks them to set their own password."""

import pytest
from django.conf import settings
from django.db import connection

from tests.browser import browser, consumer, in_thread, site  # noqa: F401 (fixtures)
from tests.helpers import PASSWORD, district_remove, totp_fresh

pytestmark = pytest.mark.browser

SLUG = "saran-demo"
ADMIN = "saran.admin"
PHONE = {"width": 390, "height": 844}


def _plan() -> None:
    from tenants.models import District, Domain, PoliceRange
    from tenants.naming import schema_name_for

    try:
        district = District.objects.create(
            slug=SLUG,
            schema_name=schema_name_for(SLUG),
            name="Saran",
            name_hi="सारण",
            police_range=PoliceRange.objects.get(name="Tirhut"),
        )
        Domain.objects.create(domain=f"{SLUG}.{settings.ROOT_DOMAIN}", tenant=district, is_primary=True)
    finally:
        connection.close()


def _remove() -> None:
    from tenants.models import User

    try:
        district_remove(SLUG)
        User.objects.filter(login_id=ADMIN)._raw_delete(User.objects.db)
    finally:
        connection.close()


@pytest.fixture
def planned(world, django_db_blocker):
    with django_db_blocker.unblock():
        in_thread(_remove)
        in_thread(_plan)
        yield
        in_thread(_remove)


def test_a_district_provisioned_from_its_planned_page_with_its_first_admin_made_inline(
    site, browser, consumer, planned, world, tmp_path
):
    root = f"http://localhost:{site}"
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    csp_violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and csp_violations.append(m.text))
    page.goto(f"{root}/districts/{SLUG}/")
    page.fill("input[name=login]", "state.staff")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/2fa/authenticate/**")
    page.fill("input[name=code]", totp_fresh(world.staff.pk))
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{root}/districts/{SLUG}/")

    # The planned page offers "provision now" with what the console knows: nothing to retype.
    form = page.locator("#provision form")
    assert form.is_visible() and "सारण" in page.inner_text("#provision")
    assert page.locator("#provision input[name=slug]").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(tmp_path / "planned-en.png"), full_page=True)

    page.click("header button[name=language][value=hi]")
    page.wait_for_url(f"{root}/districts/{SLUG}/")
    assert page.get_attribute("html", "lang") == "hi"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(tmp_path / "planned-hi.png"), full_page=True)
    page.click("header button[name=language][value=en]")
    page.wait_for_url(f"{root}/districts/{SLUG}/")

    # A mistake first: every wrong field is said at once and what was typed stays.
    page.fill("input[name=admin_name]", "Sunil Kumar")
    page.fill("input[name=admin_name_hi]", "Sunil")
    page.fill("input[name=admin_new_login_id]", "sdpo.mahua")
    page.fill("input[name=admin_mobile]", "12345")
    page.click("#provision button[type=submit]")
    page.wait_for_load_state()
    errors = page.inner_text("#provision")
    assert "Devanagari" in errors and "taken" in errors and "Not an Indian mobile number" in errors
    assert page.input_value("input[name=admin_name]") == "Sunil Kumar"
    page.screenshot(path=str(tmp_path / "planned-errors-en.png"), full_page=True)

    page.fill("input[name=admin_name_hi]", "सुनील कुमार")
    page.fill("input[name=admin_new_login_id]", ADMIN)
    page.fill("input[name=admin_mobile]", "98765 01234")
    page.click("#provision button[type=submit]")
    page.wait_for_url(f"**/districts/{SLUG}/onboarding/")
    password = page.inner_text("#temporary-password").strip()
    assert len(password) == 14
    page.locator("#next").wait_for(state="visible", timeout=90000)
    assert "The district is live." in page.inner_text("#state")
    page.screenshot(path=str(tmp_path / "onboarded-en.png"), full_page=True)
    page.reload()  # the password is shown once
    assert page.locator("#temporary-password").count() == 0

    page.click("#next a")
    page.wait_for_url(f"**/districts/{SLUG}/")
    main = page.inner_text("main")
    assert "Sunil Kumar" in main and "सुनील कुमार" in main and ADMIN in main
    assert page.locator("#provision").count() == 0
    assert not csp_violations, csp_violations

    # The new admin's first sign-in, on the district's own address: their own password first.
    district = f"http://{SLUG}.localhost:{site}"
    admin = browser.new_context(viewport=PHONE).new_page()
    admin.goto(f"{district}/")
    admin.fill("input[name=login]", ADMIN)
    admin.fill("input[name=password]", password)
    admin.click("main form button[type=submit]")
    admin.wait_for_url("**/accounts/password/change/**")
    admin.screenshot(path=str(tmp_path / "first-sign-in-en.png"), full_page=True)
    admin.click("header button[name=language][value=hi]")
    admin.wait_for_url("**/accounts/password/change/**")
    admin.screenshot(path=str(tmp_path / "first-sign-in-hi.png"), full_page=True)
    admin.context.close()
    context.close()
