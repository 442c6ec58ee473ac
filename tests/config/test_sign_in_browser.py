"""The journey that matters most, in a real Chromium: an officer signs in on their district.

The site runs in its own process (``runserver``) against the test database, on the districts the
session fixture committed. Chromium resolves ``*.localhost`` to the loopback address itself.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import PASSWORD, database_url_of_test_db

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.browser

if CHROMIUM is None and os.environ.get("CI") != "true":
    pytest.skip(
        "Chromium is not installed (apt-get install chromium); CI requires it", allow_module_level=True
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(world):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_test_db(),
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "KARYALAY_PUBLIC_PORT": str(port),
    }
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"runserver exited: {server.stderr.read().decode()}")
            time.sleep(0.2)
    yield port
    server.terminate()
    server.wait(timeout=10)


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


def test_officer_signs_in_on_vaishali_switches_to_hindi_and_is_a_stranger_on_muzaffarpur(
    site, browser, tmp_path
):
    page = browser.new_page()
    page.goto(f"http://vaishali.localhost:{site}/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=login]", "sdpo.mahua")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"http://vaishali.localhost:{site}/")
    assert "SDPO Mahua" in page.content()
    assert "Vaishali" in page.inner_text("header")
    page.screenshot(path=str(tmp_path / "desk-en.png"))

    page.click("button[name=language][value=hi]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "hi"
    assert "वैशाली" in page.inner_text("header")
    assert "मेरा डेस्क" in page.inner_text("main")
    page.screenshot(path=str(tmp_path / "desk-hi.png"))

    page.goto(f"http://muzaffarpur.localhost:{site}/")
    assert "/accounts/login/" in page.url

    page.goto(f"http://nowhere.localhost:{site}/")
    assert "Vaishali" not in page.content()
    page.close()


def test_officer_of_vaishali_is_refused_on_muzaffarpur_with_a_reason(site, browser):
    page = browser.new_page()
    page.goto(f"http://muzaffarpur.localhost:{site}/accounts/login/")
    page.fill("input[name=login]", "sdpo.mahua")
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "no posting in Muzaffarpur" in page.content()
    page.close()
