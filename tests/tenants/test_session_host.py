"""A request on a host the session was not made on is anonymous, and leaves that session alone.

Browsers send one host name's cookies to every port of it, so ``vaishali.localhost`` (no port) or
``vaishali.localhost:8001`` carries the cookie of a session made on ``vaishali.localhost:8000``.
"""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session

from tenants.context import district_context
from tests.helpers import PASSWORD, HostClient

pytestmark = pytest.mark.django_db

OWN_HOST = f"vaishali.{settings.ROOT_DOMAIN}:8000"
COOKIE = settings.SESSION_COOKIE_NAME


def _session_exists(key: str) -> bool:
    with district_context("vaishali"):
        return Session.objects.filter(session_key=key).exists()


@pytest.mark.parametrize(
    "odd_host", [f"vaishali.{settings.ROOT_DOMAIN}", f"vaishali.{settings.ROOT_DOMAIN}:8001"]
)
def test_an_odd_host_is_anonymous_and_the_own_host_stays_signed_in(world, odd_host):
    client = HostClient(host=OWN_HOST)
    assert client.sign_in("sdpo.mahua").status_code == 302
    key = client.cookies[COOKIE].value
    assert client.get("/").status_code == 200

    response = client.get("/", HTTP_HOST=odd_host)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert COOKIE not in response.cookies, "the odd host must neither replace nor clear the cookie"
    login_page = client.get("/accounts/login/", HTTP_HOST=odd_host)
    assert login_page.status_code == 200 and COOKIE not in login_page.cookies

    assert client.cookies[COOKIE].value == key
    assert _session_exists(key)
    desk = client.get("/")
    assert desk.status_code == 200 and "SDPO Mahua" in desk.text


def test_signing_in_on_an_odd_host_does_not_touch_the_own_hosts_session(world):
    client = HostClient(host=OWN_HOST)
    client.sign_in("sdpo.mahua")
    key = client.cookies[COOKIE].value
    odd = f"vaishali.{settings.ROOT_DOMAIN}"
    # The person (or a page on the odd host) tries to sign in as someone else there.
    client.post("/accounts/login/", {"login": "clerk.vaishali", "password": PASSWORD}, HTTP_HOST=odd)
    assert client.cookies[COOKIE].value == key and _session_exists(key)
    desk = client.get("/")
    assert desk.status_code == 200 and "SDPO Mahua" in desk.text
    assert client.get("/", HTTP_HOST=odd).status_code == 302


def test_expired_sessions_are_cleared_in_each_district_and_on_the_console(world):
    """With the CSRF token in the session, every visitor of a sign-in page gets a session row:
    the nightly task removes the expired ones, in each district's own table and the console's."""
    from datetime import timedelta

    from django.utils import timezone

    from tenants.context import public_context
    from tenants.sessions import expired_sessions_clear_all
    from tenants.tasks import expired_sessions_clear_task

    now = timezone.now()
    places = {
        "public": public_context,
        world.vaishali.schema_name: lambda: district_context(world.vaishali.schema_name),
        world.muzaffarpur.schema_name: lambda: district_context(world.muzaffarpur.schema_name),
    }
    for schema, context in places.items():
        with context():
            Session.objects.create(
                session_key=f"old{schema}"[:40], session_data="", expire_date=now - timedelta(hours=1)
            )
            Session.objects.create(
                session_key=f"new{schema}"[:40], session_data="", expire_date=now + timedelta(hours=1)
            )
    removed = expired_sessions_clear_all()
    for schema, context in places.items():
        assert removed[schema] >= 1, schema
        with context():
            assert not Session.objects.filter(session_key=f"old{schema}"[:40]).exists(), schema
            assert Session.objects.filter(session_key=f"new{schema}"[:40]).exists(), schema
    assert expired_sessions_clear_task.call_local() == {schema: 0 for schema in removed}
