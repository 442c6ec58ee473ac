"""Single sign-on in a real Chromium at 390 px, in English and Hindi (issue 20.5).

The site runs in its own process configured for a provider (tests/oidc_provider) that runs in
another; Chromium walks Karyalay's sign-in page, the provider's login page and back.
"""

import os
import secrets

import pytest

from tests.browser import browser, site  # noqa: F401 (fixtures)
from tests.config.sso_provider import CALLBACK, IDP_PASSWORD, free_port, provider_running

pytestmark = pytest.mark.browser

_KEYS = (
    "KARYALAY_OIDC_SERVER_URL",
    "KARYALAY_OIDC_CLIENT_ID",
    "KARYALAY_OIDC_CLIENT_SECRET",
    "KARYALAY_OIDC_NAME",
    "KARYALAY_OIDC_NAME_HI",
)


@pytest.fixture(scope="module")
def sso_site(request, world, tmp_path_factory):
    """(the site's port) with the site started under KARYALAY_OIDC_* and the provider running."""
    idp_port = free_port()
    client_id, client_secret = "karyalay-walk", secrets.token_urlsafe(24)
    saved = {key: os.environ.get(key) for key in _KEYS}
    os.environ.update(
        KARYALAY_OIDC_SERVER_URL=f"http://127.0.0.1:{idp_port}/o",
        KARYALAY_OIDC_CLIENT_ID=client_id,
        KARYALAY_OIDC_CLIENT_SECRET=client_secret,
        KARYALAY_OIDC_NAME="Bihar Police sign-in",
        KARYALAY_OIDC_NAME_HI="बिहार पुलिस साइन-इन",
    )
    try:
        port = request.getfixturevalue("site")  # starts the site with the environment above
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    with provider_running(
        tmp_path_factory.mktemp("oidc_walk"),
        port=idp_port,
        redirect_uris=[f"http://{host}.localhost:{port}{CALLBACK}" for host in ("vaishali", "muzaffarpur")],
        client_id=client_id,
        client_secret=client_secret,
    ):
        yield port


def _through_provider(page, identity: str) -> None:
    page.click("#sso-sign-in")
    page.wait_for_selector("#idp-sign-in")
    page.fill("#id_username", identity)
    page.fill("#id_password", IDP_PASSWORD)
    page.click("#idp-sign-in")
    page.wait_for_load_state()


def test_officer_signs_in_by_sso_at_390px_in_english_and_hindi(sso_site, browser, tmp_path):
    base = f"http://vaishali.localhost:{sso_site}"
    for language in ("en", "hi"):
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto(f"{base}/accounts/login/")
        if language == "hi":
            page.click("button[name=language][value=hi]")
            page.wait_for_load_state()
            assert page.get_attribute("html", "lang") == "hi"
            assert "बिहार पुलिस साइन-इन" in page.inner_text("#sso-sign-in")
        else:
            assert "Bihar Police sign-in" in page.inner_text("#sso-sign-in")
        # Nothing spills sideways at 390 px.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(tmp_path / f"sso-login-{language}-390.png"), full_page=True)
        _through_provider(page, "sdpo.mahua")
        page.wait_for_url(f"{base}/")
        assert "SDPO Mahua" in page.content()
        if language == "hi":
            assert "मेरा डेस्क" in page.inner_text("main")
        page.screenshot(path=str(tmp_path / f"sso-desk-{language}-390.png"), full_page=True)
        context.close()


def test_unknown_identity_sees_the_refusal_at_390px(sso_site, browser, tmp_path):
    base = f"http://vaishali.localhost:{sso_site}"
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    _through_provider(page, "stranger")
    assert "No Karyalay account matches the identity you signed in with (stranger.state)" in page.inner_text(
        "#sso-refusal"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "sso-refused-en-390.png"), full_page=True)
    page.goto(f"{base}/")
    assert "/accounts/login/" in page.url
    context.close()
