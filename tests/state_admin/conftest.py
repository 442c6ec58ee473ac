"""Clients of the state console, signed in as each kind of person the tests must try."""

import pytest

from tests.helpers import HostClient


@pytest.fixture(autouse=True)
def _no_progress_left_over():
    """Provisioning progress lives in the cache, which no test transaction rolls back."""
    from django.core.cache import cache

    slugs = ("sheohar", "vaishali", "muzaffarpur", "www", "east-champaran", "saran-demo")
    cache.delete_many([f"state:provisioning:{slug}" for slug in slugs])
    yield
    cache.delete_many([f"state:provisioning:{slug}" for slug in slugs])


@pytest.fixture
def staff_client(world, db):
    client = HostClient(None)
    assert client.sign_in("state.staff").status_code == 302
    return client


def refused(response) -> bool:
    """The state console turned the request away: off to sign in, or not there at all."""
    if response.status_code == 302:
        return "/accounts/login/" in response.url
    return response.status_code in (403, 404)


def non_staff_clients():
    """Root-domain clients for a district admin, an officer, a person with no posting anywhere
    and an anonymous visitor.

    District people cannot sign in on the root domain (allauth refuses them), so each ends up
    anonymous there; the pages must still refuse them.
    """
    clients = {}
    for login in ("vaishali.admin", "sdpo.mahua", "no.posting", None):
        client = HostClient(None)
        if login:
            client.sign_in(login)
        clients[login or "anonymous"] = client
    return clients
