"""Issue 15's "office-wide view for the SP and SDPO" in a real Chromium at 390 px: the SP finds it
in the e-File navigation, sees every office with its files by age, opens the files behind a count;
the SDPO sees their sub-division only; both again in Hindi, offices and posts named in Hindi.

It runs in a district of its own, provisioned for the test and dropped afterwards."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from core.base.audit import Actor
from core.efile.services.files import file_create
from core.models import EFile, FileHead, Office, Post
from core.org import services as core_services
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants.context import district_context
from tests.browser import browser, districts_of_its_own, in_thread, sign_in_at, site, the_sp_office  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

SLUG = "efile-pending"


def _create(world) -> dict:
    """The SP office (SP: sdpo.east), an SDPO office (SDPO: sdpo.mahua) and a thana below it (SI:
    clerk.vaishali); files at the SP's post (1 day old), the SDPO's (5 days) and the SI's (10 and
    40 days)."""
    try:
        district = district_provision(
            spec=DistrictSpec(slug=SLUG, name="Pending", name_hi="लंबित", range_name="Tirhut")
        )
        with district_context(district.schema_name):
            sp_office = the_sp_office("SPL")
            sdpo_office = core_services.office_create(
                code="sdpo-hajipur",
                name="SDPO Office Hajipur",
                name_hi="एसडीपीओ कार्यालय हाजीपुर",
                kind=Office.Kind.SDPO,
                parent=sp_office,
            )
            thana = core_services.office_create(
                code="thana-sadar",
                name="Sadar Thana",
                name_hi="सदर थाना",
                kind=Office.Kind.THANA,
                parent=sdpo_office,
            )
            for office, abbr in ((sdpo_office, "SDPOH"), (thana, "PSSAD")):
                office.abbr = abbr
                office.save(update_fields=["abbr"])
            posts = {}
            for key, office, title, title_hi, kind, person in (
                ("sp", sp_office, "SP", "पुलिस अधीक्षक", Post.Kind.SP, world.muzaffarpur_officer),
                (
                    "sdpo",
                    sdpo_office,
                    "SDPO Hajipur",
                    "एसडीपीओ हाजीपुर",
                    Post.Kind.SDPO,
                    world.vaishali_officer,
                ),
                ("si", thana, "SI Sadar", "अवर निरीक्षक सदर", Post.Kind.SI, world.vaishali_clerk),
            ):
                posts[key] = core_services.post_create(
                    office=office, code=f"p-{key}", title=title, title_hi=title_hi, kind=kind
                )
                core_services.posting_start(
                    person=person, post=posts[key], starts_on=datetime.date(2025, 1, 1)
                )
            head = FileHead.objects.get(code="GEN", office=None)
            files = {}
            for key, days, person in (
                ("sp", 1, world.muzaffarpur_officer),
                ("sdpo", 5, world.vaishali_officer),
                ("si", 10, world.vaishali_clerk),
                ("si-old", 40, world.vaishali_clerk),
            ):
                post = posts[key.split("-")[0]]
                file = file_create(
                    actor=Actor(person=person, post_id=post.pk),
                    post=post,
                    head=head,
                    subject=f"Pending <{key}>",
                    category=EFile.Category.ADMINISTRATION,
                )
                EFile.objects.filter(pk=file.pk).update(
                    arrived_at=timezone.now() - datetime.timedelta(days=days)
                )
                files[key] = file.number
            return {"files": files, "si": posts["si"].pk}
    finally:
        connection.close()


@pytest.fixture
def pending_district(world, django_db_blocker):
    with districts_of_its_own(django_db_blocker, lambda: _create(world), slugs=[SLUG]) as made:
        yield made


def _sign_in(browser, base, login):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in_at(page, base, login)
    return context, page, errors


def _fits(page) -> bool:
    """Nothing but the table's own scroll box is wider than the 390 px screen."""
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_sp_and_sdpo_see_pending_files_by_age_in_english_and_hindi(  # noqa: F811
    site, browser, pending_district, tmp_path
):
    base = f"http://{SLUG}.localhost:{site}"
    files = pending_district["files"]

    context, page, errors = _sign_in(browser, base, "sdpo.east")
    page.click("nav.ef-nav a[href='/files/pending/']")
    page.wait_for_url(f"{base}/files/pending/")
    table = page.inner_text("table.ef-pending")
    for office in ("SP Office Pending", "SDPO Office Hajipur", "Sadar Thana"):
        assert office in table, office
    assert "<si>" not in table and _fits(page)
    page.screenshot(path=str(tmp_path / "pending-sp-en.png"), full_page=True)
    # The SI's post: one file of 7–15 days, one of over 30; the count opens the older one only.
    page.click(f"a[href='/files/pending/{pending_district['si']}/?age=30-']")
    page.wait_for_load_state()
    listed = page.inner_text("main")
    assert files["si-old"] in listed and files["si"] not in listed and "Pending <si-old>" in listed
    page.screenshot(path=str(tmp_path / "pending-sp-list-en.png"), full_page=True)
    page.click(f"a:has-text('{files['si-old']}')")
    page.wait_for_load_state()
    assert "Pending <si-old>" in page.inner_text("main")
    page.goto(f"{base}/files/pending/")
    page.click("form.lang button[value=hi]")
    page.wait_for_selector("html[lang=hi]")
    table = page.inner_text("table.ef-pending")
    assert "एसडीपीओ कार्यालय हाजीपुर" in table and "सदर थाना" in table and "अवर निरीक्षक सदर" in table
    assert _fits(page)
    page.screenshot(path=str(tmp_path / "pending-sp-hi.png"), full_page=True)
    assert not [e for e in errors if not e.startswith("Failed to load resource")], errors
    context.close()

    context, page, errors = _sign_in(browser, base, "sdpo.mahua")
    page.goto(f"{base}/files/pending/")
    table = page.inner_text("table.ef-pending")
    assert "SDPO Office Hajipur" in table and "Sadar Thana" in table and "SP Office" not in table
    page.screenshot(path=str(tmp_path / "pending-sdpo-en.png"), full_page=True)
    page.click("form.lang button[value=hi]")
    page.wait_for_selector("html[lang=hi]")
    assert "सदर थाना" in page.inner_text("table.ef-pending") and _fits(page)
    page.screenshot(path=str(tmp_path / "pending-sdpo-hi.png"), full_page=True)
    assert not [e for e in errors if not e.startswith("Failed to load resource")], errors
    context.close()

    # The SI (clerk.vaishali) has no such view: no link, and the page is 404.
    context, page, _errors = _sign_in(browser, base, "clerk.vaishali")
    assert page.locator("a[href='/files/pending/']").count() == 0
    assert page.goto(f"{base}/files/pending/").status == 404
    context.close()
