import re

import pytest
from django.conf import settings
from django.core import mail

from tenants.models import User
from tenants.services import person_get_or_create
from tests.helpers import PASSWORD, HostClient, password_set_by_link

pytestmark = pytest.mark.django_db


def _post_in_vaishali(person) -> None:
    from core.models import Post
    from core.org import services as core_services
    from tenants.context import district_context

    with district_context("vaishali"):
        # A post of their own: a post has one holder at a time.
        office = Post.objects.get(code="sdpo-mahua").office
        post = core_services.post_create(
            office=office, code=f"t-{person.login_id}".replace(".", "-"), title="Test", kind=Post.Kind.CLERK
        )
        core_services.posting_start(person=person, post=post)


def _port() -> str:
    return f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""


def test_password_reset_link_uses_the_districts_own_domain_not_the_host_header(world):
    client = HostClient(host="vaishali.localhost:6666")
    response = client.post("/accounts/password/reset/", {"email": "sdpo.mahua@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    links = re.findall(r"https?://\S+", mail.outbox[0].body)
    assert links and all(
        link.startswith(f"{settings.PUBLIC_SCHEME}://vaishali.localhost{_port()}/") for link in links
    )
    assert "6666" not in mail.outbox[0].body


def test_password_reset_on_a_district_sends_nothing_to_someone_not_posted_there(world):
    HostClient("muzaffarpur").post("/accounts/password/reset/", {"email": "sdpo.mahua@example.org"})
    HostClient("vaishali").post("/accounts/password/reset/", {"email": "no.posting@example.org"})
    assert mail.outbox == []


def test_password_reset_link_sets_the_password_and_clears_must_set(world):
    person, _ = person_get_or_create(
        login_id="new.officer", full_name="New Officer", email="new.officer@example.org"
    )
    assert person.must_set_password and not person.has_usable_password()
    _post_in_vaishali(person)
    client = HostClient("vaishali")
    client.post("/accounts/password/reset/", {"email": "new.officer@example.org"})
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body).group(1)
    done = password_set_by_link(client, link)
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password("a-new-passphrase-2025") and not person.must_set_password


def test_account_made_with_a_temporary_password_must_set_its_own_first(world):
    person, _ = person_get_or_create(
        login_id="temp.officer", full_name="Temp", email="temp@example.org", password="temporary-pass-99"
    )
    _post_in_vaishali(person)
    client = HostClient("vaishali")
    client.sign_in("temp.officer", "temporary-pass-99")
    response = client.get("/")
    assert response.status_code == 302 and response.url == "/accounts/password/change/"
    client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "temporary-pass-99",
            "password1": "my-own-pass-2025",
            "password2": "my-own-pass-2025",
        },
    )
    person.refresh_from_db()
    assert not person.must_set_password
    assert client.get("/").status_code == 200


def test_district_admin_signs_in_with_totp(world):
    client = HostClient("vaishali")
    first = client.post("/accounts/login/", {"login": "vaishali.admin", "password": PASSWORD})
    assert first.status_code == 302 and "/2fa/authenticate" in first.url
    assert client.get("/").status_code == 302  # not signed in until the code is given
    wrong = client.post(first.url, {"code": "000000"})
    assert wrong.status_code == 200 and client.get("/").status_code == 302
    assert HostClient("vaishali").sign_in("vaishali.admin").status_code == 302


def test_district_admin_without_totp_must_set_it_up_first(world):
    client = HostClient("muzaffarpur")
    assert client.sign_in("muzaffarpur.admin").status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and response.url == "/accounts/2fa/totp/activate/"
    # allauth asks for the password again before a second factor is added.
    reauthenticate = client.get("/accounts/2fa/totp/activate/")
    assert reauthenticate.status_code == 302 and "/accounts/reauthenticate/" in reauthenticate.url
    back = client.post(reauthenticate.url, {"password": PASSWORD})
    assert back.status_code == 302 and back.url == "/accounts/2fa/totp/activate/"
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200


def test_platform_staff_sign_in_on_the_root_with_totp(world, state_client):
    assert state_client.sign_in("state.staff").status_code == 302
    response = state_client.get("/districts/")
    assert response.status_code == 200 and "Vaishali" in response.text and "Muzaffarpur" in response.text


def test_state_console_lists_nothing_to_anonymous_visitors(world, state_client):
    response = state_client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_failed_sign_ins_are_rate_limited(world):
    # Its own account: allauth counts failures per account for 15 minutes, in the shared cache.
    person, _ = person_get_or_create(
        login_id="rate.limited", full_name="Rate Limited", password=PASSWORD, must_set_password=False
    )
    _post_in_vaishali(person)
    client = HostClient("vaishali")
    for _ in range(5):
        assert (
            client.post("/accounts/login/", {"login": "rate.limited", "password": "wrong"}).status_code == 200
        )
    blocked = client.post("/accounts/login/", {"login": "rate.limited", "password": PASSWORD})
    assert blocked.status_code == 200 and "Too many failed sign-in attempts" in blocked.text
    assert client.get("/").status_code == 302


def test_sign_up_is_closed(world):
    response = HostClient("vaishali").get("/accounts/signup/")
    assert response.status_code in (200, 302, 404)
    assert not User.objects.filter(login_id="intruder").exists()
    HostClient("vaishali").post(
        "/accounts/signup/",
        {
            "username": "intruder",
            "email": "i@example.org",
            "password1": "x-very-long-1",
            "password2": "x-very-long-1",
        },
    )
    assert not User.objects.filter(login_id="intruder").exists()


def test_login_page_is_in_hindi_when_asked(world):
    response = HostClient("vaishali", HTTP_ACCEPT_LANGUAGE="hi").get("/accounts/login/")
    assert response.status_code == 200
    assert "पासवर्ड" in response.text
