"""Clients of a district's admin screens, signed in as each kind of person the tests must try."""

import pytest

from tests.helpers import HostClient


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every district-admin test keeps its files under its own temporary folder, never in the
    real ``.data/media`` (uploaded officer files hold personal data)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def admin_client(world, db):
    client = HostClient("vaishali")
    assert client.sign_in("vaishali.admin").status_code == 302
    return client


def refused(response) -> bool:
    """The admin screens turned the request away: off to sign in, or not there at all."""
    if response.status_code == 302:
        return "/accounts/login/" in response.url
    return response.status_code in (403, 404)


def non_admin_clients():
    """Vaishali-host clients for a supervisor (SDPO Mahua), an officer (a clerk), the admin of
    another district, a person with no posting anywhere, and an anonymous visitor. The last three
    cannot sign in on Vaishali at all; the pages must still refuse them."""
    clients = {}
    for login in ("sdpo.mahua", "clerk.vaishali", "muzaffarpur.admin", "no.posting", None):
        client = HostClient("vaishali")
        if login:
            client.sign_in(login)
        clients[login or "anonymous"] = client
    return clients
