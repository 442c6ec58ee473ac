"""A real OpenID Connect provider for the single sign-on tests, and sign-ins driven through it.

``oidc_provider`` starts tests/oidc_provider (django-oauth-toolkit) in a process of its own on a
free port, with an RSA key made here and an SQLite database in a temporary folder. ``sso_on``
configures Karyalay for it through ``KARYALAY_OIDC_*``, as a deployment does. ``SsoSignIn`` walks
the authorization-code flow (state and PKCE) the way a browser does: Karyalay's pages through a
Django test client, the provider's pages through ``requests``.
"""

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from config import sso_settings

PROJECT = Path(__file__).resolve().parents[2]
CALLBACK = "/accounts/oidc/state/login/callback/"
IDP_PASSWORD = "idp-password-5678"

# The provider's people: a username at the provider and the claims it gives Karyalay.
IDENTITIES = {
    # The login-ID claim names a Karyalay account: the SDPO Mahua (Vaishali).
    "sdpo.mahua": {"preferred_username": "SDPO.Mahua", "email": "other@example.org", "email_verified": True},
    # No login-ID claim Karyalay knows; the verified e-mail is the clerk's (Vaishali).
    "c.kumar": {
        "preferred_username": "c.kumar",
        "email": "Clerk.Vaishali@example.org",
        "email_verified": True,
    },
    # The same address, but the provider has not verified it: no match.
    "c.unverified": {
        "preferred_username": "c.unverified",
        "email": "clerk.vaishali@example.org",
        "email_verified": False,
    },
    # Someone the state knows and Karyalay does not.
    "stranger": {
        "preferred_username": "stranger.state",
        "email": "stranger@example.org",
        "email_verified": True,
    },
    # Posted only in Muzaffarpur.
    "sdpo.east": {
        "preferred_username": "sdpo.east",
        "email": "sdpo.east@example.org",
        "email_verified": True,
    },
    # An account with no posting anywhere.
    "no.posting": {
        "preferred_username": "no.posting",
        "email": "no.posting@example.org",
        "email_verified": True,
    },
    # Vaishali's district admin, who has TOTP.
    "vaishali.admin": {
        "preferred_username": "vaishali.admin",
        "email": "vaishali.admin@example.org",
        "email_verified": True,
    },
    # Platform staff.
    "state.staff": {
        "preferred_username": "state.staff",
        "email": "state.staff@example.org",
        "email_verified": True,
    },
}
HOSTS = ["vaishali.localhost", "muzaffarpur.localhost", "localhost"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rsa_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@contextlib.contextmanager
def provider_running(
    folder: Path, *, port: int, redirect_uris: list[str], client_id: str = "", client_secret: str = ""
):
    """The provider serving on ``port`` until the block ends: its issuer URL, client id and secret."""
    spec = {
        "client_id": client_id or "karyalay-" + secrets.token_hex(4),
        "client_secret": client_secret or secrets.token_urlsafe(24),
        "redirect_uris": redirect_uris,
        "identities": {
            name: {"password": IDP_PASSWORD, "claims": claims} for name, claims in IDENTITIES.items()
        },
    }
    (folder / "spec.json").write_text(json.dumps(spec))
    (folder / "identities.json").write_text(json.dumps(spec["identities"]))
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "KARYALAY_", "DATABASE_", "REDIS_"))
    }
    env.update(
        OIDC_TEST_SECRET_KEY=secrets.token_urlsafe(32),
        OIDC_TEST_DB=str(folder / "idp.sqlite3"),
        OIDC_TEST_RSA_KEY=_rsa_key(),
        OIDC_TEST_IDENTITIES=str(folder / "identities.json"),
        PYTHONPATH=str(PROJECT),
    )
    log = (folder / "idp.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(folder / "spec.json"), str(port)],
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{port}/o"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "the test identity provider did not start: " + (folder / "idp.log").read_text()
                )
            time.sleep(0.2)
        yield SimpleNamespace(issuer=issuer, client_id=spec["client_id"], client_secret=spec["client_secret"])
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    """The running provider for Karyalay's test client hosts; stopped after the session."""
    with provider_running(
        tmp_path_factory.mktemp("oidc_provider"),
        port=free_port(),
        redirect_uris=[f"http://{host}{CALLBACK}" for host in HOSTS],
    ) as provider:
        yield provider


@pytest.fixture
def sso_on(oidc_provider, settings, monkeypatch):
    """Karyalay configured for the provider through its environment settings, as deployed."""
    monkeypatch.setenv("KARYALAY_OIDC_SERVER_URL", oidc_provider.issuer)
    monkeypatch.setenv("KARYALAY_OIDC_CLIENT_ID", oidc_provider.client_id)
    monkeypatch.setenv("KARYALAY_OIDC_CLIENT_SECRET", oidc_provider.client_secret)
    monkeypatch.setenv("KARYALAY_OIDC_NAME", "Bihar Police sign-in")
    monkeypatch.setenv("KARYALAY_OIDC_NAME_HI", "बिहार पुलिस साइन-इन")
    settings.SOCIALACCOUNT_PROVIDERS = sso_settings.providers_setting()
    return oidc_provider


class SsoSignIn:
    """One sign-in through the provider, step by step, for ``client`` (a HostClient)."""

    def __init__(self, client, identity: str, password: str = IDP_PASSWORD):
        self.client = client
        self.identity = identity
        self.password = password
        self.browser = requests.Session()  # the provider's cookies, as a browser keeps them

    def start(self) -> str:
        """Press the SSO button on Karyalay's sign-in page: the provider's authorize URL."""
        response = self.client.post("/accounts/oidc/state/login/?process=login")
        assert response.status_code == 302, response.status_code
        assert "code_challenge=" in response.url and "state=" in response.url
        return response.url

    def at_provider(self, authorize_url: str) -> str:
        """Sign in at the provider: the callback URL (Karyalay's, with code and state) it sends to."""
        url = authorize_url
        for _step in range(6):
            response = self.browser.get(url, allow_redirects=False, timeout=10)
            if response.status_code == 200 and "idp-sign-in" in response.text:
                response = self.browser.post(
                    url,
                    data={
                        "username": self.identity,
                        "password": self.password,
                        "csrfmiddlewaretoken": self.browser.cookies["csrftoken"],
                    },  # "next" stays in the address, where the provider's login view reads it
                    headers={"Referer": url},
                    allow_redirects=False,
                    timeout=10,
                )
            assert response.status_code == 302, (response.status_code, response.text[:500])
            location = response.headers["Location"]
            if location.startswith("/"):
                location = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}{location}"
            if CALLBACK in location:
                return location
            url = location
        raise AssertionError("the provider never sent back to Karyalay")

    def finish(self, callback_url: str, client=None):
        """Follow the provider's redirect back to Karyalay (on ``client``'s host by default)."""
        parts = urlsplit(callback_url)
        return (client or self.client).get(f"{parts.path}?{parts.query}")

    def run(self):
        """The whole flow: (Karyalay's answer to the callback, the callback URL)."""
        callback_url = self.at_provider(self.start())
        return self.finish(callback_url), callback_url
