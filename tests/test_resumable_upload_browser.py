"""Issue 18, point 1, in a real Chromium: a scan uploaded to a file through the page's resumable
upload (tus) survives the link being cut half-way (the chunks refused as by a dead link, then let
through again) and a reload of the page half-way (the same file chosen again goes on from the
last byte the server holds); the document is whole and its SHA-256 is the one sent; no byte is
sent twice; the form's button is disabled while it runs and progress is shown; cancelling
removes the upload from the server. Screenshots at 390 px and on a desktop, in English and
Hindi, are kept in the test's folder (or in KARYALAY_SCREENSHOTS).

It runs in a district of its own, provisioned for the test and dropped afterwards."""

import hashlib
import io
import os
import random
import re
import shutil
import time
from pathlib import Path

import pytest
from django.db import connection
from PIL import Image

from core.base.audit import Actor
from core.efile.services.files import file_create
from core.models import DocumentVersion, EFile, FileHead, Office, Post
from core.org import services as core_services
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants.context import district_context
from tests.browser import browser, districts_of_its_own, in_thread, sign_in_at, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

SLUG = "resumable-up"
SCHEMA = "resumable_up"  # the schema provisioning names it (its files outlive a run that died)
CHUNK = 256 * 1024


def _files_remove() -> None:
    """The district's folder of files (a dropped schema leaves its files on disk)."""
    from tenants.models import District
    from tenants.storage import district_media_dir

    schemas = {SCHEMA, *District.objects.filter(slug=SLUG).values_list("schema_name", flat=True)}
    for schema_name in schemas:
        shutil.rmtree(district_media_dir(schema_name), ignore_errors=True)


def _create(world) -> int:
    """An SP office whose dak clerk (the session's clerk) holds a file."""
    try:
        district = district_provision(
            spec=DistrictSpec(slug=SLUG, name="Resumable", name_hi="पुनरारंभ", range_name="Tirhut")
        )
        with district_context(district.schema_name):
            office = Office.objects.get(code="sp-office")
            clerk = core_services.post_create(
                office=office, code="dak-clerk", title="Dak clerk", title_hi="डाक लिपिक", kind=Post.Kind.CLERK
            )
            core_services.posting_start(person=world.vaishali_clerk, post=clerk)
            file = file_create(
                actor=Actor(person=world.vaishali_clerk, post_id=clerk.pk),
                post=clerk,
                head=FileHead.objects.get(code="GEN", office=None),
                subject="Scanned orders of the SP office, 2024",
                category=EFile.Category.ADMINISTRATION,
            )
            return file.pk
    finally:
        connection.close()


@pytest.fixture
def district_file(world, django_db_blocker):
    with districts_of_its_own(
        django_db_blocker, lambda: _create(world), slugs=[SLUG], also_remove=_files_remove
    ) as made:
        yield made


def scan_pdf(megabytes: float = 2.0, seed: int = 18) -> bytes:
    """A scanned page as a PDF of about ``megabytes`` (noise does not compress)."""
    rng = random.Random(seed)
    side = int((megabytes * 1024 * 1024 / 3) ** 0.5 * 1.62)
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    out = io.BytesIO()
    image.save(out, "PDF", quality=95)
    return out.getvalue()


def _stored(file_id: int) -> list[tuple[str, str, int]]:
    def read():
        try:
            with _context():
                return list(
                    DocumentVersion.objects.filter(document__file_id=file_id).values_list(
                        "original_name", "sha256", "size"
                    )
                )
        finally:
            connection.close()

    return _unblocked(read)


_blocker = None


def _unblocked(function):
    """``function`` on a thread of its own with database access (the test's own is blocked)."""
    with _blocker.unblock():
        return in_thread(function)


@pytest.fixture(autouse=True)
def _db_blocker(django_db_blocker):
    global _blocker
    _blocker = django_db_blocker
    yield
    _blocker = None


def _context():
    from tenants.models import District

    return district_context(District.objects.get(slug=SLUG).schema_name)


def _stored_bytes(file_id: int) -> bytes:
    from core.base.storage import stored_path

    def read():
        try:
            with _context():
                version = DocumentVersion.objects.get(document__file_id=file_id)
                return stored_path(version.stored_name).read_bytes()
        finally:
            connection.close()

    return _unblocked(read)


def _partials_left() -> list[str]:
    from core.uploads.partials import folder_of
    from tenants.models import District

    def read():
        try:
            folder = folder_of(District.objects.get(slug=SLUG).schema_name)
            return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
        finally:
            connection.close()

    return _unblocked(read)


class Link:
    """The page's tus traffic, recorded, and a switch that cuts it (every request to /uploads/
    fails as on a dead link) and restores it."""

    def __init__(self, page):
        self.cut = False
        self.patched: list[tuple[int, int]] = []  # (offset, bytes) of each chunk the server took
        self.failed = 0
        page.route("**/uploads/**", self._route)
        page.on("requestfinished", self._finished)

    def _route(self, route):
        if self.cut:
            self.failed += 1
            route.abort("internetdisconnected")
        else:
            route.continue_()

    def _finished(self, request):
        if request.method == "PATCH" and "/uploads/" in request.url:
            response = request.response()
            if response and response.status == 204:
                self.patched.append(
                    (int(request.headers["upload-offset"]), len(request.post_data_buffer or b""))
                )

    def held(self) -> int:
        return sum(length for _offset, length in self.patched)


def _sign_in(page, base: str, language: str = "en"):
    sign_in_at(page, base, "clerk.vaishali", language=language)


def _choose_and_send(page, data: bytes, name: str = "orders-2024.pdf"):
    page.set_input_files(
        "input[name=files]", files=[{"name": name, "mimeType": "application/pdf", "buffer": data}]
    )
    page.locator("form:has(input[name=files]) button[type=submit]").click()


def _wait(page, predicate, timeout: float = 60.0, what: str = ""):
    """Wait for ``predicate`` while Playwright handles the page's events (a plain sleep would
    hold them back)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"timed out waiting for {what}")


def _throttle(page, kbit: int, latency_ms: int = 0):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": latency_ms,
            "downloadThroughput": kbit * 1024 / 8,
            "uploadThroughput": kbit * 1024 / 8,
        },
    )
    return cdp


def test_the_link_cut_half_way_and_restored_leaves_the_document_whole(  # noqa: F811
    site, browser, district_file, world, tmp_path
):
    base = f"http://{SLUG}.localhost:{site}"
    shots = Path(os.environ.get("KARYALAY_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    data = scan_pdf(2.0)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _sign_in(page, base)
    page.goto(f"{base}/files/{district_file}/")
    link = Link(page)
    _throttle(page, 8000)  # about 1 MB/s: a 2 MB scan takes a couple of seconds
    _choose_and_send(page, data)

    button = page.locator("form:has(input[name=files]) button[type=submit]")
    _wait(page, lambda: link.held() >= len(data) // 2, what="half the file on the server")
    # The progress is read while the upload runs: once the link is cut the page says so at once.
    status = page.locator("form:has(input[name=files]) .upload-status")
    assert re.search(r"Sent \d+%: [\d.]+ (KB|MB) of [\d.]+ MB, about .+ left|Checking", status.inner_text())
    page.screenshot(path=str(shots / "upload-progress-en-desktop.png"), full_page=False)
    link.cut = True
    assert button.is_disabled()
    _wait(page, lambda: "link dropped" in status.inner_text(), what="the dropped link to be said")
    page.screenshot(path=str(shots / "upload-link-dropped-en-desktop.png"), full_page=False)
    assert button.is_disabled()
    held_when_cut = link.held()
    page.wait_for_timeout(3000)
    link.cut = False
    page.wait_for_url(f"{base}/files/{district_file}/", timeout=60_000)
    page.wait_for_selector("text=1 document uploaded.", timeout=60_000)

    assert link.failed >= 1
    assert held_when_cut < len(data)
    # Every byte once: the chunks the server took follow one another from 0 to the end.
    offsets = sorted(link.patched)
    assert offsets[0][0] == 0
    assert all(a[0] + a[1] == b[0] for a, b in zip(offsets, offsets[1:], strict=False))
    assert link.held() == len(data)
    [(name, sha256, size)] = _stored(district_file)
    assert (name, size) == ("orders-2024.pdf", len(data))
    assert sha256 == hashlib.sha256(data).hexdigest()
    assert hashlib.sha256(_stored_bytes(district_file)).hexdigest() == sha256
    assert _partials_left() == []
    assert not errors, errors
    context.close()


def test_a_reload_half_way_resumes_from_the_last_byte_held(  # noqa: F811
    site, browser, district_file, world, tmp_path
):
    base = f"http://{SLUG}.localhost:{site}"
    data = scan_pdf(2.0, seed=19)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _sign_in(page, base)
    page.goto(f"{base}/files/{district_file}/")
    link = Link(page)
    _throttle(page, 8000)
    _choose_and_send(page, data)
    _wait(page, lambda: link.held() >= len(data) // 3, what="a third of the file on the server")
    link.cut = True  # what was on its way when the page went is lost; the server keeps the rest
    held = link.held()
    page.reload()
    link.cut = False
    first_session = list(link.patched)
    note = page.locator("form:has(input[name=files]) .upload-resume")
    assert note.is_visible() and "orders-2024.pdf" in note.inner_text()

    _choose_and_send(page, data)
    page.wait_for_selector("text=1 document uploaded.", timeout=60_000)
    resumed = link.patched[len(first_session) :]
    # Went on from the last byte the server held (the chunk on its way at the reload may have
    # arrived too), not from the start; the server takes a chunk only at its own offset.
    start = resumed[0][0]
    assert held <= start < len(data) and start % CHUNK == 0
    assert start + sum(length for _offset, length in resumed) == len(data)
    [(_name, sha256, size)] = _stored(district_file)
    assert (sha256, size) == (hashlib.sha256(data).hexdigest(), len(data))
    assert _partials_left() == []
    # Done: nothing left for this person to resume.
    assert not page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('tus::'))")
    context.close()


def test_cancel_removes_the_upload_and_gives_the_form_back(  # noqa: F811
    site, browser, district_file, world, tmp_path
):
    base = f"http://{SLUG}.localhost:{site}"
    shots = Path(os.environ.get("KARYALAY_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    data = scan_pdf(1.0, seed=20)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    _sign_in(page, base, "hi")
    page.goto(f"{base}/files/{district_file}/")
    link = Link(page)
    _throttle(page, 1000)
    _choose_and_send(page, data)
    _wait(page, lambda: link.held() > 0, what="a chunk on the server")
    form = page.locator("form:has(input[name=files])")
    form.locator(".upload-progress").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "upload-progress-hi-390.png"), full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    form.locator(".upload-progress").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "upload-progress-hi-desktop.png"), full_page=False)
    page.set_viewport_size({"width": 390, "height": 844})
    form.locator(".upload-cancel").click()
    _wait(page, lambda: _partials_left() == [], what="the cancelled upload to go from the server")
    assert not form.locator("button[type=submit]").is_disabled()
    assert _stored(district_file) == []
    page.click("form.lang button[value=en]")
    page.wait_for_selector("html[lang=en]")
    page.goto(f"{base}/files/{district_file}/")
    _throttle(page, 1000)
    _choose_and_send(page, data)
    page.wait_for_selector(".upload-status:has-text('Sent')")
    page.locator("form:has(input[name=files]) .upload-progress").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "upload-progress-en-390.png"), full_page=False)
    page.locator("form:has(input[name=files]) .upload-cancel").click()
    context.close()
