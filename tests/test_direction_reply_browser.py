"""Issue 22, "Done when", its last step, in a real Chromium at 390 px, English and Hindi: the DIG
Tirhut's direction reaches Vaishali as a letter (sent in setup through the services; the DIG
sending it is walked in tests/test_supervision_browser.py); Vaishali's dak clerk diarises it; the
SP signs his approved reply, downloads the signed PDF and sends it to the DIG's office in reply to
the direction; the consumer delivers it and the DIG's letter shows it replied; an anonymous
visitor verifies the signed reply on Vaishali's public page (signed by the SP, in Vaishali's SP
office, intact), and the same PDF with one byte changed is reported altered.
Screenshots are kept in the test's folder (or in KARYALAY_SCREENSHOTS).

It runs in districts of its own (the letters journey's two and the supervision journey's range
office), provisioned for the test and dropped afterwards."""

import os
import time
from pathlib import Path

import pytest
from django.db import connection

from core.base.audit import Actor
from core.letters.send import letter_send
from core.models import Dispatch, IncomingLetter, OutgoingLetter, Post
from tenants.context import district_context
from tenants.models import ExchangeMessage
from tests.browser import browser, consumer, districts_of_its_own, in_thread, site  # noqa: F401 (fixtures)
from tests.core.efile.filework import draft_approved, gen_file
from tests.test_letters_browser import RECEIVER, SENDER, _fits, _sign_in
from tests.test_supervision_browser import DIG, DIRECTION, RANGE, _create_range

pytestmark = pytest.mark.browser

REPLY = "Reply: the absconding accused of Mahua PS case 12/2025 arrested / फ़रार अभियुक्त गिरफ़्तार"


def _messages_remove() -> None:
    ExchangeMessage.objects.filter(from_district__slug__in=[RANGE, SENDER, RECEIVER]).delete()


def _create(world) -> dict:
    """The range and the two districts; the DIG's direction sent to Vaishali's SP office; the SP's
    reply drafted by the clerk and approved by the SP (an outward letter not yet signed or sent)."""
    made = _create_range(world)
    with district_context(made["range"]):
        post = Post.objects.get(code="dig")
        direction = Dispatch.objects.get(pk=made["direction"])
        sent = letter_send(
            actor=Actor(person=post.postings.get().person, post_id=post.pk),
            post=post,
            dispatch=direction,
            to_office_id=made["vaishali_entry"],
        )
    with district_context(made["sender"]):
        sp, clerk = Post.objects.get(code="sp"), Post.objects.get(code="dak-clerk")
        as_clerk = Actor(person=world.vaishali_clerk, post_id=clerk.pk)
        as_sp = Actor(person=world.vaishali_officer, post_id=sp.pk)
        reply = draft_approved(
            gen_file(as_clerk, clerk, "Direction of the DIG Tirhut on Mahua PS case 12/2025"),
            drafter=as_clerk,
            approver=as_sp,
            to_post=sp,
            remarks="Reply for approval",
            addressee="DIG Tirhut Range",
            subject=REPLY,
            body="Sir, in compliance with your direction, the accused was arrested at Kanti today.\n"
            "आपके निर्देश के अनुपालन में अभियुक्त को आज कांटी में गिरफ़्तार किया गया।",
        )
    return {**made, "direction_letter": sent.pk, "reply": reply.pk}


@pytest.fixture
def direction_sent(world, django_db_blocker):
    with districts_of_its_own(
        django_db_blocker,
        lambda: _create(world),
        slugs=[RANGE, SENDER, RECEIVER],
        also_remove=_messages_remove,
    ) as made:
        yield made


def _arrived(schema: str, subject: str) -> int | None:
    try:
        with district_context(schema):
            letter = IncomingLetter.objects.filter(subject=subject).first()
            return letter.pk if letter else None
    finally:
        connection.close()


def _replied(schema: str, letter_id: int) -> str:
    try:
        with district_context(schema):
            letter = OutgoingLetter.objects.get(pk=letter_id)
            return letter.reply_number if letter.replied_at else ""
    finally:
        connection.close()


def _wait(django_db_blocker, what, message: str):
    deadline, found = time.monotonic() + 90, None
    while not found and time.monotonic() < deadline:
        with django_db_blocker.unblock():
            found = in_thread(what)
        time.sleep(0.5)
    assert found, message
    return found


def _one_byte_changed(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]


def test_the_sps_signed_reply_to_the_digs_direction_verifies(  # noqa: F811
    site, browser, consumer, direction_sent, world, tmp_path, django_db_blocker
):
    shots = Path(os.environ.get("KARYALAY_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    vaishali, tirhut = f"http://{SENDER}.localhost:{site}", f"http://{RANGE}.localhost:{site}"
    made = direction_sent
    incoming = _wait(
        django_db_blocker,
        lambda: _arrived(made["sender"], DIRECTION),
        "the direction was not delivered within 90 s",
    )

    # Vaishali's dak clerk diarises the direction.
    clerk_context = browser.new_context(viewport={"width": 390, "height": 844})
    clerk = _sign_in(clerk_context, vaishali, "clerk.vaishali", "/letters/")
    assert "Tirhut" in clerk.inner_text("#incoming")
    clerk.click(f"#incoming a[href='/letters/received/{incoming}/']")
    clerk.wait_for_selector("#diarise")
    assert DIRECTION in clerk.inner_text("main")
    clerk.click("#diarise")
    clerk.wait_for_url(f"{vaishali}/dak/**")
    diary = clerk.inner_text("h1").split()[-1]
    assert diary.startswith("SPVAI/")
    _fits(clerk)
    clerk.screenshot(path=str(shots / "direction-diarised-en-390.png"), full_page=True)

    # The SP reads it, signs his approved reply and sends it to the DIG's office in reply to it.
    sp_context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    sp = _sign_in(sp_context, vaishali, "sdpo.mahua", "/letters/")
    sp.click(f"#incoming a[href='/letters/received/{incoming}/']")
    assert diary in sp.inner_text("#incoming-status")
    sp.goto(f"{vaishali}/letters/")
    sp.click(f"#sendable a[href='/letters/dispatch/{made['reply']}/']")
    sp.wait_for_selector("#signature-status")
    assert "Not signed" in sp.inner_text("#signature-status")
    sp.click("#sign", timeout=120_000)  # renders and signs the PDF: seconds at a load of 10
    sp.wait_for_selector("#signed-pdf")
    assert "Superintendent of Police" in sp.inner_text("#signature-status")
    _fits(sp)
    sp.screenshot(path=str(shots / "reply-signed-en-390.png"), full_page=True)
    with sp.expect_download() as download:
        sp.click("#signed-pdf")
    signed = Path(download.value.path()).read_bytes()
    assert signed.startswith(b"%PDF")

    sp.click("#send-link")
    sp.select_option("#to_office", str(made["range_entry"]))
    sp.select_option("#in_reply_to", str(incoming))
    sp.click("form.lang button[value=hi]")  # the form in Hindi, then back (the choice is kept)
    sp.wait_for_selector("html[lang=hi]")
    sp.select_option("#to_office", str(made["range_entry"]))
    sp.select_option("#in_reply_to", str(incoming))
    assert "तिरहुत" in sp.inner_text("#send-form")
    _fits(sp)
    sp.screenshot(path=str(shots / "reply-send-hi-390.png"), full_page=True)
    sp.click("#send-form button[type=submit]")
    sp.wait_for_selector("#letter-status")
    _fits(sp)
    sp.screenshot(path=str(shots / "reply-sent-hi-390.png"), full_page=True)

    # Delivered to the range office, where the DIG's direction is now marked replied.
    _wait(
        django_db_blocker, lambda: _arrived(made["range"], REPLY), "the reply was not delivered within 90 s"
    )
    reply_number = _wait(
        django_db_blocker,
        lambda: _replied(made["range"], made["direction_letter"]),
        "the direction was not marked replied within 90 s",
    )
    assert reply_number
    dig_context = browser.new_context(viewport={"width": 390, "height": 844})
    dig = _sign_in(dig_context, tirhut, DIG, "/letters/")
    dig.goto(f"{tirhut}/letters/sent/{made['direction_letter']}/")
    assert reply_number in dig.inner_text("#letter-status")
    _fits(dig)
    dig.screenshot(path=str(shots / "direction-replied-en-390.png"), full_page=True)

    # Anyone, signed in nowhere, verifies the signed reply on Vaishali's public page.
    anyone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    anyone.goto(f"{vaishali}/letters/verify/")
    for language in ("en", "hi"):
        if anyone.locator("html").get_attribute("lang") != language:
            anyone.click(f"form.lang button[value={language}]")
            anyone.wait_for_selector(f"html[lang={language}]")
        for name, data, kind in (
            ("reply.pdf", signed, "valid"),
            ("changed.pdf", _one_byte_changed(signed), "altered"),
        ):
            anyone.set_input_files(
                "input[name=pdf]", files=[{"name": name, "mimeType": "application/pdf", "buffer": data}]
            )
            anyone.click("#verify-form button[type=submit]")
            anyone.wait_for_selector("#verdict")
            verdict = anyone.inner_text("#verdict")
            if language == "en" and kind == "valid":
                assert "VALID" in verdict, verdict
                assert "Superintendent of Police" in verdict and "SP Office Vaishali" in verdict, verdict
            elif language == "en":
                assert "ALTERED" in verdict or "damaged" in verdict, verdict
                assert "VALID" not in verdict, verdict
            elif kind == "valid":
                assert "मान्य" in verdict and "SP Office Vaishali" in verdict, verdict
                assert "वैशाली जिले" in anyone.inner_text("main")  # the district's name in Hindi
            else:
                assert "बदला हुआ" in verdict or "क्षतिग्रस्त" in verdict, verdict
                assert "मान्य:" not in verdict, verdict
            _fits(anyone)
            anyone.screenshot(path=str(shots / f"reply-verify-{kind}-{language}-390.png"), full_page=True)
    for context in (clerk_context, sp_context, dig_context):
        context.close()
