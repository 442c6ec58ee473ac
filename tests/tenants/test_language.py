"""The language choice is the person's: saved on the account, applied at sign-in on any browser."""

import pytest
from django.conf import settings

from tenants.models import User
from tests.helpers import HostClient

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def _switch(client, language: str):
    return client.post("/i18n/setlang/", {"language": language, "next": "/"})


def test_switching_to_hindi_while_signed_in_is_saved_and_follows_the_officer_to_a_fresh_browser(world):
    first = HostClient("vaishali")
    first.sign_in("sdpo.mahua")
    response = _switch(first, "hi")
    assert response.status_code == 302 and first.cookies[COOKIE].value == "hi"
    assert User.objects.get(login_id="sdpo.mahua").language == "hi"

    fresh = HostClient("vaishali")  # another browser: no language cookie
    signed_in = fresh.sign_in("sdpo.mahua")
    assert signed_in.status_code == 302
    assert signed_in.cookies[COOKIE].value == "hi"
    desk = fresh.get("/")
    assert desk.status_code == 200 and 'lang="hi"' in desk.text[:300]
    assert "साइन आउट" in desk.text or "लॉग आउट" in desk.text


def test_the_saved_language_applies_on_another_host_too(world):
    first = HostClient("vaishali")
    first.sign_in("sdpo.mahua")
    _switch(first, "hi")

    other_host = HostClient(host=f"vaishali.{settings.ROOT_DOMAIN}:8001")
    other_host.sign_in("sdpo.mahua")
    assert 'lang="hi"' in other_host.get("/").text[:300]


def test_switching_back_to_english_is_saved_too(world):
    client = HostClient("vaishali")
    client.sign_in("sdpo.mahua")
    _switch(client, "hi")
    _switch(client, "en")
    assert User.objects.get(login_id="sdpo.mahua").language == "en"
    fresh = HostClient("vaishali")
    fresh.cookies[COOKIE] = "hi"  # the shared PC was last used in Hindi by someone else
    fresh.sign_in("sdpo.mahua")
    assert fresh.cookies[COOKIE].value == "en"
    assert 'lang="en"' in fresh.get("/").text[:300]


def test_anonymous_pages_follow_the_cookie_and_save_nothing(world):
    client = HostClient("vaishali")
    assert _switch(client, "hi").status_code == 302
    assert client.cookies[COOKIE].value == "hi"
    assert 'lang="hi"' in client.get("/accounts/login/").text[:300]
    assert not User.objects.exclude(language="").exists()


def test_an_officer_who_never_chose_keeps_the_browsers_language(world):
    client = HostClient("vaishali")
    _switch(client, "hi")
    client.sign_in("sdpo.mahua")
    assert client.cookies[COOKIE].value == "hi"
    assert 'lang="hi"' in client.get("/").text[:300]
    assert User.objects.get(login_id="sdpo.mahua").language == ""


def test_a_language_the_site_does_not_offer_is_not_saved(world):
    client = HostClient("vaishali")
    client.sign_in("sdpo.mahua")
    _switch(client, "fr")
    _switch(client, "x" * 200)
    assert User.objects.get(login_id="sdpo.mahua").language == ""


def test_the_state_console_saves_the_choice_of_platform_staff(world):
    client = HostClient(None)
    client.sign_in("state.staff")
    _switch(client, "hi")
    assert User.objects.get(login_id="state.staff").language == "hi"
    fresh = HostClient(None)
    fresh.sign_in("state.staff")
    assert fresh.cookies[COOKIE].value == "hi"


def test_switching_on_another_districts_host_saves_nothing_for_an_outsider(world):
    # An officer of Vaishali on Muzaffarpur's host is not signed in there: nothing is saved.
    client = HostClient("muzaffarpur")
    client.sign_in("sdpo.mahua")
    _switch(client, "hi")
    assert User.objects.get(login_id="sdpo.mahua").language == ""
    unposted = HostClient("vaishali")
    unposted.sign_in("no.posting")
    _switch(unposted, "hi")
    assert User.objects.get(login_id="no.posting").language == ""
