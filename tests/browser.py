"""Fixtures for journeys in a real browser: the site in its own process, Debian's Chromium,
and a huey consumer for the journeys that wait on background work.

Import the fixtures a test module needs: ``from tests.browser import browser, site``; a journey
that needs a district of its own provisions it with ``districts_of_its_own``.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from tests.helpers import database_url_of_test_db, district_remove

PROJECT = Path(__file__).resolve().parents[1]
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(**extra) -> dict:
    # The test process's queue and cache names are in os.environ (settings_test), so the server,
    # the consumer and the test all share them.
    return {
        **os.environ,
        "DATABASE_URL": database_url_of_test_db(),
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        **extra,
    }


@pytest.fixture(scope="module")
def site(world):
    port = _free_port()
    env = _env(KARYALAY_PUBLIC_PORT=str(port))
    # A file, not a pipe: nobody reads the server's log while tests run, and a full pipe would
    # block the server at its next log line.
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None:
                    log.seek(0)
                    pytest.fail(f"runserver exited: {log.read().decode()}")
                time.sleep(0.2)
        yield port
        server.terminate()
        server.wait(timeout=10)
    # A journey that switched language while signed in saved it on the account, in the committed
    # test database: later tests sign in as the same people and expect their own language. Done
    # in a process of its own, as Django refuses database work beside Playwright's event loop.
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", _LANGUAGES_FORGET],
        cwd=PROJECT,
        env=_env(),
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
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        yield process
        process.terminate()
        process.wait(timeout=20)
