"""Fixtures for journeys in a real browser: the site in its own process, Debian's Chromium,
and a huey consumer for the journeys that wait on background work.

Import the fixtures a test module needs: ``from tests.browser import browser, site``; a journey
that needs a district of its own provisions it with ``districts_of_its_own``.
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from core.models import Office, Post
from core.org import services as core_services
from tests.helpers import PASSWORD, district_remove
from tests.server import PROJECT, runserver, server_env

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def in_thread(function):
    """``function()`` run on a thread of its own (with its own database connection): Playwright's
    loop runs in the test's thread, and Django refuses queries beside an event loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(function).result()


if CHROMIUM is None and os.environ.get("CI") != "true":
    pytest.skip(
        "Chromium is not installed (apt-get install chromium); CI requires it", allow_module_level=True
    )


def the_sp_office(abbr: str) -> Office:
    """The district's SP office (made with the district), now with the abbreviation ``abbr`` its
    numbers begin with (inside the district's context)."""
    office = Office.objects.get(code="sp-office")
    office.abbr = abbr
    office.save(update_fields=["abbr"])
    return office


def sp_and_dak_clerk(world, office: Office, *, starts_on=None, clerk_title_hi: str = "डाक लिपिक"):
    """The SP's post in ``office``, held by the session's SDPO Mahua, and a dak clerk's, held by
    Vaishali's clerk, both from ``starts_on`` (today): ``(sp, clerk)`` (inside the district's
    context)."""
    sp = core_services.post_create(
        office=office, code="sp", title="Superintendent of Police", title_hi="पुलिस अधीक्षक", kind=Post.Kind.SP
    )
    clerk = core_services.post_create(
        office=office, code="dak-clerk", title="Dak clerk", title_hi=clerk_title_hi, kind=Post.Kind.CLERK
    )
    core_services.posting_start(person=world.vaishali_officer, post=sp, starts_on=starts_on)
    core_services.posting_start(person=world.vaishali_clerk, post=clerk, starts_on=starts_on)
    return sp, clerk


def sign_in_at(page, base: str, login: str, landing: str = "/inbox/", *, language: str | None = None):
    """``login`` signed in on ``page`` through the sign-in form that ``base + landing`` sends a
    stranger to, and back on ``landing``; then in ``language``, where given (an earlier journey may
    have left the account in another). Returns the page."""
    page.goto(f"{base}{landing}")
    assert "/accounts/login/" in page.url
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}{landing}")
    if language and page.locator("html").get_attribute("lang") != language:
        page.click(f"form.lang button[value={language}]")
        page.wait_for_selector(f"html[lang={language}]")
    return page


def _closing(function):
    """``function`` that closes its thread's database connection when it ends."""

    def run():
        try:
            return function()
        finally:
            connection.close()

    return run


@contextlib.contextmanager
def districts_of_its_own(django_db_blocker, make, *, slugs, also_remove=None):
    """The districts a journey provisions for itself, for real (committed: the site and the
    consumer read them from processes of their own), and removes afterwards, and before, where a
    run that died half-way left them behind. ``make()`` provisions and fills them and returns what
    the test needs; ``also_remove()`` removes what they leave besides their rows and schemas (run
    before them). Each runs on a thread of its own with database access, as Django refuses
    queries beside Playwright's event loop.

        @pytest.fixture
        def own_district(world, django_db_blocker):
            with districts_of_its_own(django_db_blocker, lambda: _create(world), slugs=[SLUG]) as made:
                yield made
    """

    def remove():
        if also_remove is not None:
            also_remove()
        for slug in slugs:
            district_remove(slug)

    with django_db_blocker.unblock():
        in_thread(_closing(remove))
        made = in_thread(_closing(make))
    try:
        yield made
    finally:
        with django_db_blocker.unblock():
            in_thread(_closing(remove))


@pytest.fixture(scope="module")
def site(world):
    with runserver() as (port, _log):
        yield port
    # A journey that switched language while signed in saved it on the account, in the committed
    # test database: later tests sign in as the same people and expect their own language. Done
    # in a process of its own, as Django refuses database work beside Playwright's event loop.
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", _LANGUAGES_FORGET],
        cwd=PROJECT,
        env=server_env(),
        check=True,
        capture_output=True,
        timeout=120,
    )


_LANGUAGES_FORGET = "from tenants.models import User; User.objects.exclude(language='').update(language='')"


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM, "Chromium is required in CI"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def consumer(world):
    """A huey consumer process, as ``make run`` starts one beside the web server. Two workers: a
    periodic task over every district, or a long OCR, must not hold back the task a journey waits
    on."""
    with tempfile.TemporaryFile() as log:  # not a pipe: a full pipe would block the consumer
        process = subprocess.Popen(
            [sys.executable, "manage.py", "run_huey", "--workers", "2", "--quiet"],
            cwd=PROJECT,
            env=server_env(),
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        yield process
        process.terminate()
        process.wait(timeout=20)
