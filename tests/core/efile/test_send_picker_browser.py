"""Issue 15's journey "a send to a vacant post refused", in a real Chromium at 390 px: the clerk
filters the send-to list by typing, picks a vacant post (the list says it is vacant), sends, and is
refused with the reason, the file staying where it was; the same in Hindi, the post named in Hindi.

It runs in a district of its own, provisioned for the test and dropped afterwards."""

import datetime

import pytest
from django.db import connection

from core.base.audit import Actor
from core.efile.services.files import file_create
from core.models import EFile, FileHead, Office, Post
from core.org import services as core_services
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants.context import district_context
from tests.browser import browser, districts_of_its_own, in_thread, site  # noqa: F401 (fixtures)
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

SLUG = "efile-picker"
SUBJECT = "Computers for the reader's desk"


def _create(world) -> dict:
    """SP office with the clerk's post (held), the SP's post (held) and a reader's post (vacant);
    a file at the clerk's post."""
    try:
        district = district_provision(
            spec=DistrictSpec(slug=SLUG, name="Picker", name_hi="चयन", range_name="Tirhut")
        )
        with district_context(district.schema_name):
            office = Office.objects.get(code="sp-office")
            office.abbr = "SPP"
            office.save(update_fields=["abbr"])
            posts = {}
            for code, title, title_hi, kind in (
                ("dak-clerk", "Dak clerk", "डाक लिपिक", Post.Kind.CLERK),
                ("sp", "SP", "पुलिस अधीक्षक", Post.Kind.SP),
                ("reader", "Reader", "रीडर", Post.Kind.CLERK),
            ):
                posts[code] = core_services.post_create(
                    office=office, code=code, title=title, title_hi=title_hi, kind=kind
                )
            for person, code in ((world.vaishali_clerk, "dak-clerk"), (world.muzaffarpur_officer, "sp")):
                core_services.posting_start(
                    person=person, post=posts[code], starts_on=datetime.date(2025, 1, 1)
                )
            file = file_create(
                actor=Actor(person=world.vaishali_clerk, post_id=posts["dak-clerk"].pk),
                post=posts["dak-clerk"],
                head=FileHead.objects.get(code="GEN", office=None),
                subject=SUBJECT,
                category=EFile.Category.ADMINISTRATION,
            )
            return {
                "file": file.pk,
                "reader": posts["reader"].pk,
                "clerk": posts["dak-clerk"].pk,
                "schema": district.schema_name,
            }
    finally:
        connection.close()


def _where(schema: str, file_id: int) -> int:
    try:
        with district_context(schema):
            return EFile.objects.get(pk=file_id).current_post_id
    finally:
        connection.close()


@pytest.fixture
def picker_district(world, django_db_blocker):
    with districts_of_its_own(django_db_blocker, lambda: _create(world), slugs=[SLUG]) as made:
        yield made


def _visible_options(page) -> list[str]:
    return page.eval_on_selector(
        "#send-to",
        "s => Array.from(s.options).filter(o => o.value && !o.hidden).map(o => o.textContent.trim())",
    )


def test_a_send_to_a_vacant_post_is_refused_in_english_and_hindi(  # noqa: F811
    site, browser, picker_district, tmp_path, django_db_blocker
):
    base = f"http://{SLUG}.localhost:{site}"
    context = browser.new_context(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page = context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/inbox/")
    page.fill("input[name=login]", "clerk.vaishali")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/inbox/")
    page.goto(f"{base}/files/{picker_district['file']}/")

    # The list names holders and says vacant; typing narrows it.
    options = _visible_options(page)
    assert "SP — Sdpo East" in options and "Reader — vacant" in options
    page.fill("input.post-filter", "vacant")
    assert _visible_options(page) == ["Reader — vacant"]
    page.fill("input.post-filter", "east")
    assert _visible_options(page) == ["SP — Sdpo East"]
    page.fill("input.post-filter", "read")
    assert page.input_value("#send-to") == str(picker_district["reader"])
    page.fill("#send-remarks", "For the reader")
    page.click("#send-form button[type=submit]")
    page.wait_for_load_state()
    text = page.inner_text("main")
    assert "Reader is vacant: nobody holds it today" in text and "For the reader" in page.content()
    page.screenshot(path=str(tmp_path / "vacant-refused-en.png"), full_page=True)

    # In Hindi: the page, the list and the refusal name the post in Hindi.
    page.goto(f"{base}/files/{picker_district['file']}/")
    page.click("form.lang button[value=hi]")
    page.wait_for_selector("html[lang=hi]")
    assert page.locator("html").get_attribute("lang") == "hi"
    assert any(option.startswith("रीडर — ") for option in _visible_options(page))
    page.select_option("#send-to", str(picker_district["reader"]))
    page.click("#send-form button[type=submit]")
    page.wait_for_load_state()
    assert "रीडर" in page.inner_text("main .errorlist")
    page.screenshot(path=str(tmp_path / "vacant-refused-hi.png"), full_page=True)
    # No script error nor CSP refusal (a missing favicon is the only resource allowed to 404).
    assert not [e for e in errors if not e.startswith("Failed to load resource")], errors
    context.close()

    with django_db_blocker.unblock():
        assert (
            in_thread(lambda: _where(picker_district["schema"], picker_district["file"]))
            == picker_district["clerk"]
        )
