"""CSRF: only the request's own origin is trusted, and the token is bound to the host's session.

A sibling subdomain (another district) can both send a POST from its own origin and set a cookie
for the parent domain that every district receives (cookie tossing). Neither may get a POST
through: the origin check trusts no other host, and the token lives in the session, not a cookie.
"""

import re

import pytest
from django.conf import settings

from tests.helpers import PASSWORD, HostClient, totp_fresh

pytestmark = pytest.mark.django_db

HOST = f"vaishali.{settings.ROOT_DOMAIN}:8000"
OWN_ORIGIN = f"http://{HOST}"
SIBLING_ORIGIN = f"http://muzaffarpur.{settings.ROOT_DOMAIN}:8000"
ROOT_ORIGIN = f"http://{settings.ROOT_DOMAIN}:8000"
ATTACKER_TOKEN = "attackerchosencsrftoken000000000"  # 32 characters of the token alphabet


def _token(response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
    assert match, "the page carries no CSRF token"
    return match.group(1)


def _strict_client() -> HostClient:
    return HostClient(host=HOST, enforce_csrf_checks=True)


def _sign_in(client: HostClient, login: str) -> None:
    """Sign in as a browser does: each form's token read from its page, the own origin sent."""
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    response = client.post(
        "/accounts/login/",
        {"login": login, "password": PASSWORD, "csrfmiddlewaretoken": _token(page)},
        HTTP_ORIGIN=OWN_ORIGIN,
    )
    assert response.status_code == 302, response.status_code
    if "/2fa/authenticate" in response.url:
        from tenants.models import User

        page = client.get(response.url)
        code = totp_fresh(User.objects.get(login_id=login).pk)
        response = client.post(
            response.url, {"code": code, "csrfmiddlewaretoken": _token(page)}, HTTP_ORIGIN=OWN_ORIGIN
        )
        assert response.status_code == 302, response.status_code
    assert client.get("/").status_code == 200


def test_sign_in_with_its_totp_step_works_with_csrf_checks_on(world):
    client = _strict_client()
    _sign_in(client, "vaishali.admin")  # password, then the TOTP form: two tokens from two pages


def test_no_csrf_cookie_is_set_the_token_lives_in_the_session(world):
    client = _strict_client()
    page = client.get("/accounts/login/")
    assert settings.CSRF_COOKIE_NAME not in page.cookies
    assert settings.SESSION_COOKIE_NAME in page.cookies


@pytest.mark.parametrize("origin", [SIBLING_ORIGIN, ROOT_ORIGIN, "null"])
def test_a_post_from_another_origin_is_refused(world, origin):
    client = _strict_client()
    _sign_in(client, "sdpo.mahua")
    token = _token(client.get("/"))
    # A page on Muzaffarpur's host (or the console's) submits Vaishali's sign-out form.
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}, HTTP_ORIGIN=origin)
    assert response.status_code == 403
    assert client.get("/").status_code == 200, "still signed in"


def test_a_token_planted_in_a_cookie_is_refused(world):
    client = _strict_client()
    _sign_in(client, "sdpo.mahua")
    # A sibling subdomain sets csrftoken for the parent domain and posts the same value.
    client.cookies[settings.CSRF_COOKIE_NAME] = ATTACKER_TOKEN
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": ATTACKER_TOKEN})
    assert response.status_code == 403
    assert client.get("/").status_code == 200, "still signed in"


def test_a_planted_cookie_token_without_any_session_is_refused(world):
    client = _strict_client()
    client.cookies[settings.CSRF_COOKIE_NAME] = ATTACKER_TOKEN
    response = client.post(
        "/accounts/login/",
        {"login": "sdpo.mahua", "password": PASSWORD, "csrfmiddlewaretoken": ATTACKER_TOKEN},
    )
    assert response.status_code == 403


def test_a_same_host_post_with_the_sessions_token_goes_through(world):
    client = _strict_client()
    _sign_in(client, "sdpo.mahua")
    token = _token(client.get("/"))
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token}, HTTP_ORIGIN=OWN_ORIGIN)
    assert response.status_code == 302
    assert client.get("/").status_code == 302, "signed out"


def test_no_origin_but_the_requests_own_is_trusted():
    assert settings.CSRF_TRUSTED_ORIGINS == []
    assert settings.CSRF_USE_SESSIONS is True
