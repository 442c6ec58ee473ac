"""The e-File journey of issue 5 in a real Chromium: a clerk diarises a letter, opens a file, puts
the letter in it and sends it up to the SDPO, who notes it and sends it to the SP, who (reading
in Hindi) notes it and returns it; the SDPO returns it to the clerk. Every step is on the file's
track and in its history (the audit trail).

It runs in a district of its own, provisioned for the test and dropped afterwards, so its audit
events (which nobody can delete) never reach the session's districts.
"""

import datetime

import pytest
from django.db import connection

from core.models import Office, Post
from core.org import services as core_services
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants.context import district_context
from tenants.models import District
from tests.browser import browser, districts_of_its_own, in_thread, sign_in_at, site, the_sp_office  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

SLUG = "efile-journey"
SENDER = "पुलिस महानिरीक्षक, तिरहुत क्षेत्र"
LETTER = "इ-ऑफिस पर कार्य प्रारंभ करने के संबंध में"
SUBJECT = "E-Office rollout, phase 1 (journey)"


def _create(world) -> None:
    """SP office → SDPO office; a clerk and the SP in the one, the SDPO in the other. The session's
    people hold the posts (no accounts to remove afterwards); the SP is the Muzaffarpur SDPO,
    posted here too."""
    try:
        district = district_provision(
            spec=DistrictSpec(slug=SLUG, name="Journey", name_hi="यात्रा", range_name="Tirhut")
        )
        with district_context(district.schema_name):
            sp_office = the_sp_office("SPJ")
            sdpo_office = core_services.office_create(
                code="sdpo-mahua",
                name="SDPO Office Mahua",
                name_hi="एसडीपीओ कार्यालय महुआ",
                kind=Office.Kind.SDPO,
                parent=sp_office,
            )
            for person, office, code, title, title_hi, kind in (
                (world.vaishali_clerk, sp_office, "dak-clerk", "Dak clerk", "डाक लिपिक", Post.Kind.CLERK),
                (
                    world.vaishali_officer,
                    sdpo_office,
                    "sdpo-mahua",
                    "SDPO Mahua",
                    "एसडीपीओ महुआ",
                    Post.Kind.SDPO,
                ),
                (world.muzaffarpur_officer, sp_office, "sp", "SP", "पुलिस अधीक्षक", Post.Kind.SP),
            ):
                post = core_services.post_create(
                    office=office, code=code, title=title, title_hi=title_hi, kind=kind
                )
                core_services.posting_start(person=person, post=post, starts_on=datetime.date(2025, 1, 1))
    finally:
        connection.close()


@pytest.fixture
def journey_district(world, django_db_blocker):
    with districts_of_its_own(django_db_blocker, lambda: _create(world), slugs=[SLUG]):
        yield


def _sign_in(browser, base: str, login: str):  # noqa: F811
    context = browser.new_context()
    return sign_in_at(context.new_page(), base, login)


def _open_from_inbox(page, base: str, text: str) -> None:
    page.goto(f"{base}/inbox/")
    page.click(f"main tr:has-text('{text}') th a")
    page.wait_for_url(f"{base}/files/*/")


def _note_and(page, note: str) -> None:
    page.fill("#note-form textarea[name=body]", note)
    page.click("#note-form button[type=submit]")
    page.wait_for_load_state()
    assert note in page.inner_text("main")


def test_a_letter_goes_up_to_the_sp_and_back_with_every_step_on_the_track(  # noqa: F811
    site, browser, journey_district, tmp_path, django_db_blocker
):
    base = f"http://{SLUG}.localhost:{site}"

    # The clerk diarises the letter.
    clerk = _sign_in(browser, base, "clerk.vaishali")
    clerk.goto(f"{base}/dak/new/")
    clerk.select_option("#diarise-form select[name=mode]", "post")
    clerk.fill("#diarise-form [name=sender]", SENDER)
    clerk.fill("#diarise-form [name=subject]", LETTER)
    clerk.click("#diarise-form button[type=submit]")
    clerk.wait_for_url(f"{base}/dak/*/")
    year = datetime.date.today().year
    diary = f"SPJ/{year}/000001"
    assert diary in clerk.inner_text("main")
    receipt_url = clerk.url

    # Opens a file and puts the letter in it.
    clerk.goto(f"{base}/files/new/")
    clerk.fill("main form [name=subject]", SUBJECT)
    clerk.select_option("main form select[name=category]", "administration")
    general = clerk.locator("main form select[name=head] option", has_text="GEN").get_attribute("value")
    clerk.select_option("main form select[name=head]", general)
    clerk.click("main form button[type=submit]")
    clerk.wait_for_url(f"{base}/files/*/")
    file_url = clerk.url
    number = f"SPJ/GEN/{year}/0001"
    assert number in clerk.inner_text("main")
    clerk.goto(receipt_url)
    clerk.select_option("#attach-form select[name=file]", label=f"{number} — {SUBJECT}")
    clerk.click("#attach-form button[type=submit]")
    clerk.wait_for_load_state()
    clerk.goto(file_url)
    assert diary in clerk.inner_text("main")  # on the correspondence side

    # Notes it and sends it up to the SDPO.
    _note_and(clerk, "Letter of the IG Tirhut put up for orders.")
    clerk.select_option("#send-to", label="SDPO Mahua — Sdpo Mahua")
    clerk.fill("#send-remarks", "For orders")
    clerk.click("#send-form button[type=submit]")
    clerk.wait_for_load_state()
    assert f"File {number} sent." in clerk.inner_text("main")

    # The SDPO finds it new in the inbox, takes it in, notes it and sends it to the SP.
    sdpo = _sign_in(browser, base, "sdpo.mahua")
    assert SUBJECT in sdpo.inner_text("main")
    _open_from_inbox(sdpo, base, SUBJECT)
    sdpo.click("form[action$='/receive/'] button")
    sdpo.wait_for_load_state()
    _note_and(sdpo, "Seen. Training and computers are ready in Mahua. Submitted to the SP.")
    sdpo.select_option("#send-to", label="SP — Sdpo East")
    sdpo.click("#send-form button[type=submit]")
    sdpo.wait_for_load_state()

    # The SP reads in Hindi, takes it in, notes in Hindi and returns it to the SDPO.
    sp = _sign_in(browser, base, "sdpo.east")
    sp.click("form.lang button[value=hi]")
    sp.wait_for_load_state()
    assert "इनबॉक्स" in sp.inner_text("nav.ef-nav")
    _open_from_inbox(sp, base, SUBJECT)
    assert sp.locator("html").get_attribute("lang") == "hi"
    sp.click("form[action$='/receive/'] button")
    sp.wait_for_load_state()
    _note_and(sp, "प्रथम फेज में 20 मार्च से इ-ऑफिस पर कार्य प्रारंभ करें।")
    sp.fill("#return-remarks", "आदेश पारित")
    sp.click("#return-form button[type=submit]")
    sp.wait_for_load_state()
    sp.screenshot(path=str(tmp_path / "sp-returned-hi.png"))

    # The SDPO returns it to the clerk.
    _open_from_inbox(sdpo, base, SUBJECT)
    sdpo.click("form[action$='/receive/'] button")
    sdpo.wait_for_load_state()
    sdpo.click("#return-form button[type=submit]")
    sdpo.wait_for_load_state()

    # Back with the clerk: the notes are frozen in order, the track shows every post.
    clerk.goto(file_url)
    notes = clerk.inner_text("main")
    assert notes.index("Letter of the IG") < notes.index("Seen. Training") < notes.index("प्रथम फेज")
    clerk.goto(f"{file_url}track/")
    track = clerk.inner_text("main")
    for post in ("Dak clerk", "SDPO Mahua", "SP"):
        assert post in track
    assert track.count("SDPO Mahua") >= 3  # sent to, returned from and returned to it
    # The SDPO's return went down the chain to the clerk who sent it up, not back to the SP.
    assert "Now at Dak clerk" in track
    clerk.goto(f"{base}/inbox/")
    assert SUBJECT in clerk.inner_text("main")
    clerk.goto(f"{file_url}history/")
    history = clerk.inner_text("main")
    for label in (
        "File opened",
        "Dak put in the file",
        "Note added",
        "Sent to a post",
        "Taken in",
        "Returned",
    ):
        assert label in history, label
    assert "file.create" not in history and "receipt.view" not in history
    clerk.screenshot(path=str(tmp_path / "history.png"))

    # And in the district's audit trail, every step in order, on a valid chain.
    def _trail():
        try:
            with district_context(District.objects.get(slug=SLUG).schema_name):
                from core.base.audit import audit_verify
                from core.models import AuditEvent

                actions = list(
                    AuditEvent.objects.filter(target_type__in=["efile", "receipt", "note"])
                    .exclude(action__in=["file.view", "receipt.view", "file.track", "file.history"])
                    .order_by("id")
                    .values_list("action", flat=True)
                )
                readers = set(
                    AuditEvent.objects.filter(action="file.view").values_list("person_login", flat=True)
                )
                return actions, readers, audit_verify().ok
        finally:
            connection.close()

    with django_db_blocker.unblock():
        actions, readers, chain_ok = in_thread(_trail)
    assert chain_ok
    assert readers == {"clerk.vaishali", "sdpo.mahua", "sdpo.east"}  # every reading is in the trail too
    assert actions == [
        "receipt.diarise",
        "file.create",
        "receipt.attach",
        "note.add",
        "file.send",
        "file.receive",
        "note.add",
        "file.send",
        "file.receive",
        "note.add",
        "file.return",
        "file.receive",
        "file.return",
    ]
