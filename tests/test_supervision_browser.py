"""Issue 22, point 2 (the journey's DIG step), in a real Chromium at 390 px, English and Hindi:
the DIG of the Tirhut range, on his own host, sees Vaishali's and Muzaffarpur's pendency (the
figures copied from the districts), opens Vaishali's, and sends a direction to Vaishali's SP office
as a letter; the huey consumer delivers it and Vaishali sees it among its received letters. Then
Vaishali's SP sends a file up to the DIG ("a DIG may read a file that an SP sends up to him"): the
consumer carries its snapshot across, and the DIG reads its notes and track and opens its papers
in his own tenant, while the SP sees only that it was delivered.
Screenshots are kept in the test's folder (or in KARYALAY_SCREENSHOTS).

It runs in districts of its own (the letters journey's two, and a range office), provisioned for
the test and dropped afterwards."""

import os
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from core.base.audit import Actor
from core.efile.services.dispatch import dispatch_record
from core.efile.services.notes import note_add
from core.models import Dispatch, IncomingLetter, Office, Post
from core.org import services as core_services
from core.supervision.rollup import supervision_refresh_one
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants.context import district_context
from tenants.models import District, ExchangeMessage, OfficeDirectoryEntry
from tenants.services import person_get_or_create
from tests.browser import browser, consumer, districts_of_its_own, in_thread, site  # noqa: F401 (fixtures)
from tests.helpers import PASSWORD
from tests.test_letters_browser import RECEIVER, SENDER, _create, _fits, _sign_in

pytestmark = pytest.mark.browser

RANGE = "letters-tirhut"
DIG = "dig.journey"
DIRECTION = "Direction: trace and arrest the absconding accused of Mahua PS case 12/2025"
NOTE = "Accused traced to Kanti; the SP seeks the DIG's orders / अभियुक्त कांटी में मिला, आदेश अपेक्षित"


def _messages_remove() -> None:
    ExchangeMessage.objects.filter(from_district__slug__in=[RANGE, SENDER, RECEIVER]).delete()


def _create_range(world) -> dict:
    made = _create(world)
    try:
        tirhut = district_provision(
            spec=DistrictSpec(slug=RANGE, name="Tirhut", name_hi="तिरहुत", range_name="Tirhut", kind="range")
        )
        dig, _ = person_get_or_create(
            login_id=DIG,
            full_name="DIG Tirhut",
            email="dig.journey@example.org",
            password=PASSWORD,
            must_set_password=False,
        )
        with district_context(tirhut.schema_name):
            office = Office.objects.get(code="sp-office")
            office.abbr = "DIGTIR"
            office.save(update_fields=["abbr"])
            post = core_services.post_create(
                office=office, code="dig", title="DIG Tirhut", title_hi="डीआईजी तिरहुत", kind=Post.Kind.OTHER
            )
            core_services.posting_start(person=dig, post=post)
            direction = dispatch_record(
                actor=Actor(person=dig, post_id=post.pk),
                post=post,
                addressee="SP Vaishali",
                subject=DIRECTION,
                dispatched_on=timezone.localdate(),
            )
        for slug in (SENDER, RECEIVER):
            supervision_refresh_one(District.objects.get(slug=slug))
        sender = District.objects.get(slug=SENDER)
        with district_context(sender.schema_name):
            file = Dispatch.objects.get(pk=made["dispatch"]).file
            sp_post = file.current_post
            note_add(actor=Actor(person=world.vaishali_officer, post_id=sp_post.pk), file=file, body=NOTE)
        entry = OfficeDirectoryEntry.objects.get(district=sender, office_code="sp-office")
        range_entry = OfficeDirectoryEntry.objects.get(district=tirhut, office_code="sp-office")
        return {
            **made,
            "direction": direction.pk,
            "vaishali_entry": entry.pk,
            "sender": sender.schema_name,
            "file": file.pk,
            "file_number": file.number,
            "range_entry": range_entry.pk,
            "range": tirhut.schema_name,
        }
    finally:
        connection.close()


@pytest.fixture
def range_and_districts(world, django_db_blocker):
    with districts_of_its_own(
        django_db_blocker,
        lambda: _create_range(world),
        slugs=[RANGE, SENDER, RECEIVER],
        also_remove=_messages_remove,
    ) as made:
        yield made


def _file_arrived(schema: str) -> int | None:
    try:
        with district_context(schema):
            letter = IncomingLetter.objects.exclude(file_snapshot={}).first()
            return letter.pk if letter else None
    finally:
        connection.close()


def _direction_arrived(schema: str) -> int | None:
    try:
        with district_context(schema):
            letter = IncomingLetter.objects.filter(subject=DIRECTION).first()
            return letter.pk if letter else None
    finally:
        connection.close()


def test_the_dig_sees_the_pendency_and_sends_a_direction_to_vaishali(  # noqa: F811
    site, browser, consumer, range_and_districts, world, tmp_path, django_db_blocker
):
    shots = Path(os.environ.get("KARYALAY_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    base = f"http://{RANGE}.localhost:{site}"

    context = browser.new_context(viewport={"width": 390, "height": 844})
    dig = _sign_in(context, base, DIG, "/supervision/")
    board = dig.inner_text("#supervision-board")
    assert dig.locator(f"#supervision-board tr[data-district='{SENDER}']").count() == 1
    assert dig.locator(f"#supervision-board tr[data-district='{RECEIVER}']").count() == 1
    # The approved letter's file is pending at Vaishali's SP: the figures came across.
    vaishali_files = dig.inner_text(f"#supervision-board tr[data-district='{SENDER}'] td:nth-child(2)")
    assert int(vaishali_files) >= 1, board
    _fits(dig)
    dig.screenshot(path=str(shots / "supervision-board-en-390.png"), full_page=True)
    dig.click("form.lang button[value=hi]")
    dig.wait_for_selector("html[lang=hi]")
    _fits(dig)
    dig.screenshot(path=str(shots / "supervision-board-hi-390.png"), full_page=True)

    dig.click(f"#supervision-board tr[data-district='{SENDER}'] a")
    dig.wait_for_selector("#files-by-post")
    assert "पुलिस अधीक्षक" in dig.inner_text("#files-by-post")  # the SP's post, in Hindi
    _fits(dig)
    dig.screenshot(path=str(shots / "supervision-vaishali-hi-390.png"), full_page=True)
    dig.click("form.lang button[value=en]")
    dig.wait_for_selector("html[lang=en]")
    assert "Superintendent of Police" in dig.inner_text("#files-by-post")
    dig.screenshot(path=str(shots / "supervision-vaishali-en-390.png"), full_page=True)

    # The direction: the DIG office's outward letter, sent to Vaishali's SP office through Karyalay.
    direction = range_and_districts["direction"]
    dig.goto(f"{base}/letters/")
    dig.click(f"#sendable a[href='/letters/dispatch/{direction}/']")
    dig.wait_for_selector("#send-link")
    assert dig.locator("#circular-send-link").count() == 1  # a range office may send circulars
    dig.click("#send-link")
    dig.select_option("#to_office", str(range_and_districts["vaishali_entry"]))
    dig.click("#send-form button[type=submit]")
    dig.wait_for_selector("#letter-status")
    _fits(dig)
    dig.screenshot(path=str(shots / "supervision-direction-sent-en-390.png"), full_page=True)

    deadline, incoming = time.monotonic() + 90, None
    while incoming is None and time.monotonic() < deadline:
        with django_db_blocker.unblock():
            incoming = in_thread(lambda: _direction_arrived(range_and_districts["sender"]))
        time.sleep(0.5)
    assert incoming, "the direction was not delivered within 90 s"

    sp_context = browser.new_context(viewport={"width": 390, "height": 844})
    sp = _sign_in(sp_context, f"http://{SENDER}.localhost:{site}", "sdpo.mahua", "/letters/")
    received = sp.inner_text("#incoming")
    assert "DIG Tirhut" in received and "Tirhut" in received
    sp.click(f"#incoming a[href='/letters/received/{incoming}/']")
    assert DIRECTION in sp.inner_text("main")
    _fits(sp)
    sp.screenshot(path=str(shots / "supervision-direction-received-en-390.png"), full_page=True)
    sp.click("form.lang button[value=hi]")
    sp.wait_for_selector("html[lang=hi]")
    _fits(sp)
    sp.screenshot(path=str(shots / "supervision-direction-received-hi-390.png"), full_page=True)

    # Vaishali's SP sends the file up to the DIG; it travels as a letter with a snapshot of it.
    sp.click("form.lang button[value=en]")
    sp.wait_for_selector("html[lang=en]")
    sp.goto(f"http://{SENDER}.localhost:{site}/files/{range_and_districts['file']}/")
    sp.click("#send-up")
    sp.wait_for_selector("#send-up-form")
    sp.select_option("#to_office", str(range_and_districts["range_entry"]))
    sp.fill("#remarks", "For orders on the arrest")
    _fits(sp)
    sp.screenshot(path=str(shots / "file-send-up-en-390.png"), full_page=True)
    sp.click("#send-up-form button[type=submit]")
    sp.wait_for_selector("#letter-status")

    deadline, sent_up = time.monotonic() + 90, None
    while sent_up is None and time.monotonic() < deadline:
        with django_db_blocker.unblock():
            sent_up = in_thread(lambda: _file_arrived(range_and_districts["range"]))
        time.sleep(0.5)
    assert sent_up, "the file sent up was not delivered within 90 s"

    # The DIG reads it in his own tenant: its note, its track, its papers; nothing of the district.
    dig.goto(f"{base}/letters/")
    dig.click(f"#incoming a[href='/letters/received/{sent_up}/']")
    dig.wait_for_selector("#sent-up-file")
    snapshot = dig.inner_text("#sent-up-file")
    assert range_and_districts["file_number"] in snapshot and "Kanti; the SP seeks" in snapshot
    assert "For orders on the arrest" in snapshot
    assert "Superintendent of Police" in snapshot  # the track: the file came to the SP
    _fits(dig)
    dig.screenshot(path=str(shots / "file-sent-up-dig-en-390.png"), full_page=True)
    with dig.expect_download() as paper:
        dig.click(f"a[href='/letters/received/{sent_up}/papers/0/']")
    assert paper.value.suggested_filename.endswith(".pdf")
    dig.click("form.lang button[value=hi]")
    dig.wait_for_selector("html[lang=hi]")
    assert "अभियुक्त कांटी में मिला" in dig.inner_text("#sent-up-file")
    _fits(dig)
    dig.screenshot(path=str(shots / "file-sent-up-dig-hi-390.png"), full_page=True)

    # The SP sees it delivered, and no more.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        sp.reload()
        if "Delivered" in sp.inner_text("#letter-status"):
            break
        time.sleep(1)
    assert "Delivered" in sp.inner_text("#letter-status")
    sp.click("form.lang button[value=hi]")
    sp.wait_for_selector("html[lang=hi]")
    _fits(sp)
    sp.screenshot(path=str(shots / "file-sent-up-status-hi-390.png"), full_page=True)
    for c in (context, sp_context):
        c.close()
