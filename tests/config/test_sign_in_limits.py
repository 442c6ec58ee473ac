"""Sign-in tells nothing about a password where the person may not sign in, and failures are
counted per account and per address over every host (issue 14, point 2).

The attacker knows a login ID and guesses passwords: on a district where the person has no
posting, on the state console, on the home district, spreading guesses over every host.
"""

import re
from unittest import mock

import pytest
from django.contrib.auth.hashers import get_hasher
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.base.audit import Actor
from tests.helpers import PASSWORD, SIGN_IN_FAILED, HostClient, person_of, sign_in_refused

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-1"
LOCKED = "Too many failed sign-in attempts"
_CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def _posted_in_vaishali(login_id: str):
    from core.models import Post
    from core.org import services as core_services
    from tenants.context import district_context

    person = person_of(login_id)
    with district_context("vaishali"):
        office = Post.objects.get(code="sdpo-mahua").office
        post = core_services.post_create(
            office=office, code=f"t-{login_id}".replace(".", "-"), title="Test", kind=Post.Kind.CLERK
        )
        core_services.posting_start(person=person, post=post)
    return person


def _attempt(client, login: str, password: str):
    return client.post("/accounts/login/", {"login": login, "password": password})


def _same_answer(right, wrong) -> None:
    """Byte for byte the same page (but for the CSRF token), status, templates and form errors."""
    assert right.status_code == wrong.status_code == 200
    assert [t.name for t in right.templates] == [t.name for t in wrong.templates]
    assert right.context["form"].errors == wrong.context["form"].errors
    assert _CSRF.sub(b"", right.content) == _CSRF.sub(b"", wrong.content)
    assert SIGN_IN_FAILED in right.content.decode()


def test_right_password_on_another_districts_host_answers_as_a_wrong_one(world):
    right = _attempt(HostClient("muzaffarpur"), "sdpo.mahua", PASSWORD)
    wrong = _attempt(HostClient("muzaffarpur"), "sdpo.mahua", WRONG)
    _same_answer(right, wrong)
    assert "Vaishali" not in right.content.decode() and "no posting" not in right.content.decode()
    client = HostClient("muzaffarpur")
    _attempt(client, "sdpo.mahua@example.org", PASSWORD)  # by e-mail address alike
    assert client.get("/").status_code == 302  # still anonymous


def test_person_with_no_posting_anywhere_gets_the_wrong_password_answer_on_a_district(world):
    _same_answer(
        _attempt(HostClient("vaishali"), "no.posting", PASSWORD),
        _attempt(HostClient("vaishali"), "no.posting", WRONG),
    )


def test_state_console_refuses_an_officer_as_it_refuses_a_wrong_password(world):
    _same_answer(
        _attempt(HostClient(None), "sdpo.mahua", PASSWORD),
        _attempt(HostClient(None), "sdpo.mahua", WRONG),
    )


def test_person_deactivated_here_gets_the_wrong_password_answer(world):
    from core.org.services.officers import officer_deactivate
    from tenants.context import district_context

    person = _posted_in_vaishali("t.blocked")
    with district_context("vaishali"):
        officer_deactivate(actor=Actor(person=world.staff), person=person, reason="Suspended")
    _same_answer(
        _attempt(HostClient("vaishali"), "t.blocked", PASSWORD),
        _attempt(HostClient("vaishali"), "t.blocked", WRONG),
    )


def test_account_deactivated_everywhere_gets_the_wrong_password_answer_not_the_inactive_page(world):
    person = _posted_in_vaishali("t.inactive")
    person.is_active = False
    person.save(update_fields=["is_active"])
    _same_answer(
        _attempt(HostClient("vaishali"), "t.inactive", PASSWORD),
        _attempt(HostClient("vaishali"), "t.inactive", WRONG),
    )


def test_refused_and_wrong_and_unknown_cost_the_same_work(world):
    """Timing: one password hash and the same queries, whether the password was right (but refused
    here), wrong, or the login unknown."""
    hasher = type(get_hasher())
    costs = []
    for login, password in (("sdpo.mahua", PASSWORD), ("sdpo.mahua", WRONG), ("nobody.at.all", WRONG)):
        client = HostClient("muzaffarpur")
        client.get("/accounts/login/")
        with (
            mock.patch.object(hasher, "encode", autospec=True, side_effect=hasher.encode) as encode,
            CaptureQueriesContext(connection) as queries,
        ):
            assert sign_in_refused(_attempt(client, login, password))
        costs.append((encode.call_count, len(queries)))
    assert costs[0] == costs[1] == costs[2] and costs[0][0] == 1, costs


def test_refused_right_passwords_count_as_failures(world):
    _posted_in_vaishali("t.prober")
    for _ in range(5):  # the right password, where the person has no posting
        assert sign_in_refused(_attempt(HostClient("muzaffarpur"), "t.prober", PASSWORD))
    home = _attempt(HostClient("vaishali"), "t.prober", PASSWORD)
    assert home.status_code == 200 and LOCKED in home.content.decode()


def test_failures_on_two_districts_and_the_state_console_add_up_and_lock_everywhere(world):
    _posted_in_vaishali("t.spread")
    for host, login in (
        ("vaishali", "t.spread"),
        ("vaishali", "t.spread@example.org"),  # the e-mail address is the same account
        ("muzaffarpur", "t.spread"),
        ("muzaffarpur", "T.Spread"),
        (None, "t.spread"),
    ):
        assert sign_in_refused(_attempt(HostClient(host), login, WRONG))
    for host in ("vaishali", "muzaffarpur", None):
        client = HostClient(host)
        locked = _attempt(client, "t.spread", PASSWORD)  # even the right password
        assert locked.status_code == 200 and LOCKED in locked.content.decode(), host
        assert client.get("/").status_code == 302
    assert LOCKED in _attempt(HostClient("vaishali"), "t.spread@example.org", PASSWORD).content.decode()


def test_an_unknown_login_is_locked_alike(world):
    for host in ("vaishali", "muzaffarpur", None, "vaishali", "muzaffarpur"):
        assert sign_in_refused(_attempt(HostClient(host), "no.such.person", WRONG))
    assert LOCKED in _attempt(HostClient(None), "no.such.person", WRONG).content.decode()


def test_a_locked_account_does_not_lock_another_from_the_same_address(world):
    _posted_in_vaishali("t.locked")
    _posted_in_vaishali("t.colleague")
    address = "192.0.2.44"
    for _ in range(5):
        _attempt(HostClient("vaishali", REMOTE_ADDR=address), "t.locked", WRONG)
    assert (
        LOCKED in _attempt(HostClient("vaishali", REMOTE_ADDR=address), "t.locked", PASSWORD).content.decode()
    )
    colleague = HostClient("vaishali", REMOTE_ADDR=address)
    assert colleague.sign_in("t.colleague").status_code == 302
    assert colleague.get("/").status_code == 200


def _address_failures_clear(address: str) -> None:
    from allauth.core.internal.ratelimit import get_cache_key, get_rates
    from django.core.cache import cache
    from django.test import RequestFactory

    request = RequestFactory().post("/", REMOTE_ADDR=address)
    for action in ("login_failed", "login"):
        for rate in get_rates(app="allauth.account", action=action):
            if rate.per == "ip":
                cache.delete(get_cache_key(request, app="allauth.account", action=action, rate=rate))


def test_an_office_of_thirty_behind_one_address_each_mistyping_once_all_sign_in(world):
    address = "198.51.100.30"
    _address_failures_clear(address)  # the per-address count outlives a test run
    people = [_posted_in_vaishali(f"t.office{n}") for n in range(30)]
    for person in people:
        client = HostClient("vaishali", REMOTE_ADDR=address)
        assert sign_in_refused(_attempt(client, person.login_id, WRONG))
        assert client.sign_in(person.login_id).status_code == 302, person.login_id
        assert client.get("/").status_code == 200
    _address_failures_clear(address)


def test_one_address_spraying_many_accounts_is_stopped(world):
    """The per-address limit still holds a password spray: 60 failures a minute from one address."""
    address = "198.51.100.60"
    _address_failures_clear(address)
    _posted_in_vaishali("t.sprayed")
    for n in range(60):
        assert sign_in_refused(_attempt(HostClient("vaishali", REMOTE_ADDR=address), f"guess.{n}", WRONG))
    stopped = _attempt(HostClient("vaishali", REMOTE_ADDR=address), "t.sprayed", PASSWORD)
    assert LOCKED in stopped.content.decode()
    assert HostClient("vaishali").sign_in("t.sprayed").status_code == 302  # from elsewhere: fine
    _address_failures_clear(address)


def test_lock_message_is_in_hindi_for_a_hindi_reader(world):
    _posted_in_vaishali("t.hindi")
    for _ in range(5):
        _attempt(HostClient("vaishali"), "t.hindi", WRONG)
    locked = _attempt(HostClient("vaishali", HTTP_ACCEPT_LANGUAGE="hi"), "t.hindi", PASSWORD)
    text = locked.content.decode()
    assert locked.status_code == 200 and "असफल" in text and "15 मिनट" in text, text
    assert LOCKED not in text


def test_a_password_reset_lifts_the_lock(world):
    from django.core import mail

    _posted_in_vaishali("t.reset")
    for _ in range(5):
        _attempt(HostClient("muzaffarpur"), "t.reset", WRONG)
    client = HostClient("vaishali")
    assert LOCKED in _attempt(client, "t.reset", PASSWORD).content.decode()
    client.post("/accounts/password/reset/", {"email": "t.reset@example.org"})
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": "a-new-passphrase-2026", "password2": "a-new-passphrase-2026"},
    )
    assert HostClient("vaishali").sign_in("t.reset", "a-new-passphrase-2026").status_code == 302


def test_behind_the_proxy_each_client_address_is_counted_not_the_proxys(world, settings):
    from django.test import RequestFactory

    from config.adapters import AccountAdapter

    settings.KARYALAY_CLIENT_IP_HEADER = "X-Real-IP"
    factory, adapter = RequestFactory(), AccountAdapter()
    proxy = {"REMOTE_ADDR": "172.18.0.5"}
    assert adapter.get_client_ip(factory.post("/", HTTP_X_REAL_IP="203.0.113.9", **proxy)) == "203.0.113.9"
    assert adapter.get_client_ip(factory.post("/", HTTP_X_REAL_IP="203.0.113.10", **proxy)) == "203.0.113.10"
    # No header or a made-up one (a request that did not come through the proxy): its own address.
    assert adapter.get_client_ip(factory.post("/", **proxy)) == "172.18.0.5"
    assert adapter.get_client_ip(factory.post("/", HTTP_X_REAL_IP="x, 1.2.3.4", **proxy)) == "172.18.0.5"
    settings.KARYALAY_CLIENT_IP_HEADER = ""
    assert adapter.get_client_ip(factory.post("/", HTTP_X_REAL_IP="203.0.113.9", **proxy)) == "172.18.0.5"
