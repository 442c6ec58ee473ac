"""Issue 22, points 1 and 4, in a real Chromium at 390 px: Vaishali's SP signs an approved letter
and sends it to Muzaffarpur's SP office; the huey consumer relays and delivers it; Muzaffarpur's
dak clerk diarises it; the SP sees "Diarised" with the diary number; the signed PDF verifies on
Vaishali's public page (no sign-in) and fails after one byte is changed. Screenshots in English
and Hindi are kept in the test's folder (or in KARYALAY_SCREENSHOTS).

It runs in two districts of its own, provisioned for the test and dropped afterwards."""

import os
import time
from pathlib import Path

import pytest
from django.db import connection

from core.base.audit import Actor
from core.models import IncomingLetter, Post
from core.org import services as core_services
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants.context import district_context
from tenants.models import District, ExchangeMessage, OfficeDirectoryEntry
from tests.browser import (  # noqa: F401 (fixtures)
    browser,
    consumer,
    districts_of_its_own,
    in_thread,
    sign_in_at,
    site,
    sp_and_dak_clerk,
    the_sp_office,
)
from tests.core.efile.filework import draft_approved, gen_file

pytestmark = pytest.mark.browser

SENDER, RECEIVER = "letters-vaishali", "letters-muzaffarpur"


def _messages_remove() -> None:
    ExchangeMessage.objects.filter(from_district__slug__in=[SENDER, RECEIVER]).delete()


def _create(world) -> dict:
    try:
        a = district_provision(
            spec=DistrictSpec(slug=SENDER, name="Vaishali", name_hi="वैशाली", range_name="Tirhut")
        )
        b = district_provision(
            spec=DistrictSpec(slug=RECEIVER, name="Muzaffarpur", name_hi="मुज़फ़्फ़रपुर", range_name="Tirhut")
        )
        District.objects.filter(pk__in=[a.pk, b.pk]).update(status=District.Status.LIVE)
        with district_context(b.schema_name):
            office = the_sp_office("SPMZP")
            clerk_b = core_services.post_create(
                office=office, code="dak-clerk", title="Dak clerk", title_hi="डाक लिपिक", kind=Post.Kind.CLERK
            )
            core_services.posting_start(person=world.muzaffarpur_officer, post=clerk_b)
        with district_context(a.schema_name):
            sp, clerk = sp_and_dak_clerk(world, the_sp_office("SPVAI"), clerk_title_hi="")
            as_clerk = Actor(person=world.vaishali_clerk, post_id=clerk.pk)
            as_sp = Actor(person=world.vaishali_officer, post_id=sp.pk)
            dispatch = draft_approved(
                gen_file(as_clerk, clerk, "Accused of Kanti thana arrested at Mahua"),
                drafter=as_clerk,
                approver=as_sp,
                to_post=sp,
                addressee="SP Muzaffarpur",
                subject="Antecedents of an accused of Kanti thana / कांटी थाना के अभियुक्त का आपराधिक इतिहास",
                body="Sir, please send the antecedents of the accused named in Mahua PS case 12/2025.\n"
                "महुआ थाना कांड संख्या 12/2025 के अभियुक्त का आपराधिक इतिहास भेजने की कृपा करें।",
            )
        entry = OfficeDirectoryEntry.objects.get(district=b, office_code="sp-office")
        return {"dispatch": dispatch.pk, "entry": entry.pk, "receiver": b.schema_name}
    finally:
        connection.close()


@pytest.fixture
def two_districts(world, django_db_blocker):
    with districts_of_its_own(
        django_db_blocker, lambda: _create(world), slugs=[SENDER, RECEIVER], also_remove=_messages_remove
    ) as made:
        yield made


def _sign_in(context, base, login, landing):
    return sign_in_at(context.new_page(), base, login, landing, language="en")


def _fits(page) -> None:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url} scrolls sideways: {width} > {inner}"


def _incoming_id(schema: str) -> int | None:
    try:
        with district_context(schema):
            letter = IncomingLetter.objects.first()
            return letter.pk if letter else None
    finally:
        connection.close()


def test_a_signed_letter_goes_from_vaishali_to_muzaffarpur_and_verifies(  # noqa: F811
    site, browser, consumer, two_districts, world, tmp_path, django_db_blocker
):
    shots = Path(os.environ.get("KARYALAY_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    a, b = f"http://{SENDER}.localhost:{site}", f"http://{RECEIVER}.localhost:{site}"
    dispatch = two_districts["dispatch"]

    sp_context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    sp = _sign_in(sp_context, a, "sdpo.mahua", "/letters/")
    # Letters of the SP's office wait to be signed or sent on the letters page.
    sp.click(f"#sendable a[href='/letters/dispatch/{dispatch}/']")
    sp.wait_for_selector("#signature-status")
    assert "Not signed" in sp.inner_text("#signature-status")
    sp.click("#sign", timeout=120_000)  # renders and signs the PDF: seconds at a load of 10
    sp.wait_for_selector("#signed-pdf", timeout=120_000)
    assert "Superintendent of Police" in sp.inner_text("#signature-status")
    _fits(sp)
    sp.screenshot(path=str(shots / "letter-signed-en-390.png"), full_page=True)
    with sp.expect_download() as download:
        sp.click("#signed-pdf")
    signed = Path(download.value.path()).read_bytes()
    assert signed.startswith(b"%PDF")

    sp.click("#send-link")
    sp.select_option("#to_office", str(two_districts["entry"]))
    sp.click("#send-form button[type=submit]")
    sp.wait_for_selector("#letter-status")
    _fits(sp)
    sent_url = sp.url

    # The consumer relays and delivers it (tasks enqueued on commit by the site).
    deadline, incoming = time.monotonic() + 90, None
    while incoming is None and time.monotonic() < deadline:
        with django_db_blocker.unblock():
            incoming = in_thread(lambda: _incoming_id(two_districts["receiver"]))
        time.sleep(0.5)
    assert incoming, "the letter was not delivered within 90 s"

    clerk_context = browser.new_context(viewport={"width": 390, "height": 844})
    clerk = _sign_in(clerk_context, b, "sdpo.east", "/letters/")
    assert "Vaishali" in clerk.inner_text("#incoming")
    clerk.click(f"#incoming a[href='/letters/received/{incoming}/']")
    clerk.wait_for_selector("#diarise")
    clerk.click("form.lang button[value=hi]")
    clerk.wait_for_selector("html[lang=hi]")
    _fits(clerk)
    clerk.screenshot(path=str(shots / "letter-received-hi-390.png"), full_page=True)
    clerk.click("form.lang button[value=en]")
    clerk.wait_for_selector("html[lang=en]")
    clerk.click("#diarise")
    clerk.wait_for_url(f"{b}/dak/**")
    diary = clerk.inner_text("h1").split()[-1]
    assert diary.startswith("SPMZP/")
    clerk.screenshot(path=str(shots / "letter-diarised-en-390.png"), full_page=True)

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        sp.goto(sent_url)
        if "Diarised" in sp.inner_text("#letter-status"):
            break
        time.sleep(1)
    assert sp.inner_text("#diary-number") == diary
    sp.screenshot(path=str(shots / "letter-status-en-390.png"), full_page=True)

    # The public verification page: no sign-in; the signed PDF verifies, one changed byte fails.
    anyone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    anyone.goto(f"{a}/letters/verify/")
    for name, data, expected in (
        ("signed.pdf", signed, "VALID"),
        (
            "changed.pdf",
            signed[: len(signed) // 2]
            + bytes([signed[len(signed) // 2] ^ 1])
            + signed[len(signed) // 2 + 1 :],
            "ALTERED",
        ),
    ):
        anyone.set_input_files(
            "input[name=pdf]", files=[{"name": name, "mimeType": "application/pdf", "buffer": data}]
        )
        anyone.click("#verify-form button[type=submit]")
        anyone.wait_for_selector("#verdict")
        verdict = anyone.inner_text("#verdict")
        assert expected in verdict or (expected == "ALTERED" and "damaged" in verdict), verdict
        if expected == "VALID":
            assert "Superintendent of Police" in verdict and "SP Office Vaishali" in verdict
        _fits(anyone)
        anyone.screenshot(path=str(shots / f"verify-{expected.lower()}-en-390.png"), full_page=True)
    for context in (sp_context, clerk_context):
        context.close()
