"""Single sign-on through a real OpenID Connect provider (issue 20.5; config.sso).

The provider (tests/oidc_provider, django-oauth-toolkit) runs in its own process; every sign-in
walks the authorization-code flow with state and PKCE through allauth's real views.
"""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from config import sso_settings
from state_admin.models import AuditEvent
from tenants.models import District, User
from tests.config.sso_provider import SsoSignIn, oidc_provider, sso_on  # noqa: F401
from tests.helpers import PASSWORD, HostClient, totp_fresh

SSO_START = "/accounts/oidc/state/login/?process=login"


def signed_in_as(client) -> str | None:
    """The login ID the client's session is signed in as on its host, or None."""
    user = client.get("/").wsgi_request.user
    return user.login_id if user.is_authenticated else None


def _refused(response, text: str, status: int = 403) -> bool:
    body = response.content.decode()
    return response.status_code == status and 'id="sso-refusal"' in body and text in body


# --- matching --------------------------------------------------------------------------------


def test_identity_matched_by_login_id_signs_in_on_its_district(vaishali_client, sso_on, world):
    people_before = User.objects.count()
    before = timezone.now()
    response, _callback = SsoSignIn(vaishali_client, "sdpo.mahua").run()
    assert response.status_code == 302
    assert signed_in_as(vaishali_client) == "sdpo.mahua"
    # Like a password sign-in: last_login set, the session bound to this host; nothing stored.
    world.vaishali_officer.refresh_from_db()
    assert world.vaishali_officer.last_login >= before
    assert User.objects.count() == people_before
    assert SocialAccount.objects.count() == 0


def test_identity_matched_by_verified_email(vaishali_client, sso_on):
    response, _callback = SsoSignIn(vaishali_client, "c.kumar").run()
    assert response.status_code == 302
    assert signed_in_as(vaishali_client) == "clerk.vaishali"


def test_unverified_email_matches_no_one(vaishali_client, sso_on):
    response, _callback = SsoSignIn(vaishali_client, "c.unverified").run()
    assert _refused(response, "No Karyalay account matches the identity you signed in with (c.unverified)")
    assert signed_in_as(vaishali_client) is None


def test_unknown_identity_is_refused_and_no_account_is_made(vaishali_client, sso_on):
    people_before = User.objects.count()
    response, _callback = SsoSignIn(vaishali_client, "stranger").run()
    assert _refused(response, "No Karyalay account matches the identity you signed in with (stranger.state)")
    assert "signup" not in response.content.decode().lower()
    assert User.objects.count() == people_before
    assert SocialAccount.objects.count() == 0
    assert signed_in_as(vaishali_client) is None


def test_officer_of_other_district_gets_nothing_of_vaishali(vaishali_client, sso_on):
    response, _callback = SsoSignIn(vaishali_client, "sdpo.east").run()
    assert _refused(response, "You have no posting in Vaishali, so you cannot sign in here.")
    assert signed_in_as(vaishali_client) is None
    assert vaishali_client.get("/").status_code == 302  # to the sign-in page


def test_same_officer_signs_in_on_own_district(muzaffarpur_client, sso_on):
    response, _callback = SsoSignIn(muzaffarpur_client, "sdpo.east").run()
    assert response.status_code == 302
    assert signed_in_as(muzaffarpur_client) == "sdpo.east"


def test_person_without_posting_is_refused(vaishali_client, sso_on):
    response, _callback = SsoSignIn(vaishali_client, "no.posting").run()
    assert _refused(response, "You have no posting in Vaishali")
    assert signed_in_as(vaishali_client) is None


def test_deactivated_account_is_refused(vaishali_client, sso_on, world):
    User.objects.filter(pk=world.vaishali_officer.pk).update(is_active=False)
    response, _callback = SsoSignIn(vaishali_client, "sdpo.mahua").run()
    assert _refused(response, "This account is deactivated.")
    assert signed_in_as(vaishali_client) is None


def test_totp_still_asked_after_sso_for_a_district_admin(vaishali_client, sso_on, world):
    admin = User.objects.get(login_id="vaishali.admin")
    response, _callback = SsoSignIn(vaishali_client, "vaishali.admin").run()
    assert response.status_code == 302 and "/2fa/authenticate" in response.url
    assert signed_in_as(vaishali_client) is None
    response = vaishali_client.post(response.url, {"code": totp_fresh(admin.pk)})
    assert response.status_code == 302
    assert signed_in_as(vaishali_client) == "vaishali.admin"


def test_first_password_step_does_not_apply_after_sso(vaishali_client, sso_on, world):
    User.objects.filter(pk=world.vaishali_officer.pk).update(must_set_password=True)
    SsoSignIn(vaishali_client, "sdpo.mahua").run()
    response = vaishali_client.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.user.login_id == "sdpo.mahua"


# --- the flow's own checks -------------------------------------------------------------------


def test_wrong_state_is_refused(vaishali_client, sso_on):
    flow = SsoSignIn(vaishali_client, "sdpo.mahua")
    callback = flow.at_provider(flow.start())
    state = callback.split("state=")[1].split("&")[0]
    response = flow.finish(callback.replace(f"state={state}", "state=" + "x" * len(state)))
    assert _refused(response, "Single sign-on did not complete", status=400)
    assert signed_in_as(vaishali_client) is None


def test_replayed_code_is_refused(vaishali_client, sso_on):
    flow = SsoSignIn(vaishali_client, "sdpo.mahua")
    response, callback = flow.run()
    assert response.status_code == 302
    vaishali_client.post("/accounts/logout/")
    assert signed_in_as(vaishali_client) is None
    # The same answer again, in the same browser and in another one: neither signs in.
    assert _refused(flow.finish(callback), "Single sign-on did not complete", status=400)
    assert signed_in_as(vaishali_client) is None
    other = HostClient("vaishali")
    assert _refused(flow.finish(callback, client=other), "Single sign-on did not complete", status=400)
    assert signed_in_as(other) is None


def test_used_code_under_a_fresh_state_is_refused_by_the_exchange(vaishali_client, sso_on):
    """The code of a finished sign-in, brought back with the state of a new one: the state
    matches, so the code reaches the provider, which refuses it (used, and PKCE's verifier is the
    new sign-in's)."""
    first = SsoSignIn(vaishali_client, "sdpo.mahua")
    response, old_callback = first.run()
    assert response.status_code == 302
    vaishali_client.post("/accounts/logout/")
    authorize_url = SsoSignIn(vaishali_client, "sdpo.mahua").start()
    fresh_state = authorize_url.split("state=")[1].split("&")[0]
    old_state = old_callback.split("state=")[1].split("&")[0]
    response = first.finish(old_callback.replace(f"state={old_state}", f"state={fresh_state}"))
    assert _refused(response, "Single sign-on did not complete", status=400)
    assert signed_in_as(vaishali_client) is None


def test_callback_on_another_districts_host_is_refused(vaishali_client, muzaffarpur_client, sso_on):
    flow = SsoSignIn(vaishali_client, "sdpo.east")
    callback = flow.at_provider(flow.start())
    response = flow.finish(callback, client=muzaffarpur_client)
    assert _refused(response, "Single sign-on did not complete", status=400)
    assert signed_in_as(muzaffarpur_client) is None
    assert signed_in_as(vaishali_client) is None


def test_sso_start_by_get_signs_no_one_in(vaishali_client, sso_on):
    # A link cannot start it (SOCIALACCOUNT_LOGIN_ON_GET is off): a page that asks to continue.
    response = vaishali_client.get(SSO_START)
    assert response.status_code == 200 and 'id="sso-continue"' in response.content.decode()


def test_suspended_district_refuses_sso(vaishali_client, sso_on, world):
    flow = SsoSignIn(vaishali_client, "sdpo.mahua")
    callback = flow.at_provider(flow.start())
    District.objects.filter(pk=world.vaishali.pk).update(status=District.Status.SUSPENDED)
    from tenants.hosts import host_cache_clear

    host_cache_clear()
    assert flow.finish(callback).status_code == 403
    assert vaishali_client.post(SSO_START).status_code == 403
    District.objects.filter(pk=world.vaishali.pk).update(status=District.Status.LIVE)
    host_cache_clear()
    assert signed_in_as(vaishali_client) is None


# --- where the button is, and is not ---------------------------------------------------------


def test_sign_in_page_shows_the_sso_button_in_both_languages(vaishali_client, sso_on):
    page = vaishali_client.get("/accounts/login/").content.decode()
    assert 'id="sso-sign-in"' in page and "Bihar Police sign-in" in page
    assert 'name="password"' in page
    vaishali_client.cookies["karyalay_language"] = "hi"
    page = vaishali_client.get("/accounts/login/").content.decode()
    assert "बिहार पुलिस साइन-इन" in page


def test_no_sso_configured_means_no_button_and_no_sso_addresses(vaishali_client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    page = vaishali_client.get("/accounts/login/").content.decode()
    assert 'id="sso-sign-in"' not in page and 'name="password"' in page
    assert vaishali_client.post(SSO_START).status_code == 404


def test_state_console_has_no_sso(state_client, sso_on):
    page = state_client.get("/accounts/login/").content.decode()
    assert 'id="sso-sign-in"' not in page and 'name="password"' in page
    assert state_client.post(SSO_START).status_code == 404
    assert state_client.get("/accounts/oidc/state/login/callback/?code=x&state=y").status_code == 404


# --- the password path switched off ----------------------------------------------------------


def test_sso_required_district_refuses_a_right_password(vaishali_client, sso_on, world):
    District.objects.filter(pk=world.vaishali.pk).update(sso_required=True)
    from tenants.hosts import host_cache_clear

    host_cache_clear()
    page = vaishali_client.get("/accounts/login/").content.decode()
    assert 'id="sso-sign-in"' in page and 'name="password"' not in page
    response = vaishali_client.post("/accounts/login/", {"login": "sdpo.mahua", "password": PASSWORD})
    assert response.status_code == 200
    assert "Vaishali signs in only through single sign-on" in response.content.decode()
    assert signed_in_as(vaishali_client) is None
    # SSO itself works there.
    response, _callback = SsoSignIn(vaishali_client, "sdpo.mahua").run()
    assert signed_in_as(vaishali_client) == "sdpo.mahua"
    # Another district and the state console keep their passwords.
    muzaffarpur = HostClient("muzaffarpur")
    assert muzaffarpur.sign_in("sdpo.east").status_code == 302
    state = HostClient(None)
    assert state.sign_in("state.staff").status_code == 302


# --- the state console's setting -------------------------------------------------------------


def test_staff_require_sso_for_a_district_audited(state_client, sso_on, world):
    state_client.sign_in("state.staff")
    response = state_client.post("/districts/vaishali/sign-in/", {"sso_required": "1"})
    assert response.status_code == 302
    assert District.objects.get(pk=world.vaishali.pk).sso_required is True
    assert AuditEvent.objects.filter(action="district.sso_required", district=world.vaishali).count() == 1
    page = state_client.get("/districts/vaishali/").content.decode()
    assert "Accept passwords again" in page
    state_client.post("/districts/vaishali/sign-in/", {"sso_required": "0"})
    assert District.objects.get(pk=world.vaishali.pk).sso_required is False
    assert AuditEvent.objects.filter(action="district.sso_optional", district=world.vaishali).count() == 1


def test_sso_cannot_be_required_without_a_provider(state_client, settings, world):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    state_client.sign_in("state.staff")
    response = state_client.post("/districts/vaishali/sign-in/", {"sso_required": "1"}, follow=True)
    assert "Single sign-on is not configured on this server" in response.content.decode()
    assert District.objects.get(pk=world.vaishali.pk).sso_required is False


@pytest.mark.parametrize("value", ["", "2", "yes"])
def test_bad_choice_changes_nothing(state_client, sso_on, world, value):
    state_client.sign_in("state.staff")
    response = state_client.post("/districts/vaishali/sign-in/", {"sso_required": value}, follow=True)
    assert response.status_code == 200
    assert "Choose how the district" in response.content.decode()
    assert District.objects.get(pk=world.vaishali.pk).sso_required is False


def test_only_staff_may_change_the_setting(db, world, sso_on):
    anonymous = HostClient(None)
    assert anonymous.post("/districts/vaishali/sign-in/", {"sso_required": "1"}).status_code == 302
    # A district's admin or officer: the address is not on a district's host.
    officer = HostClient("vaishali")
    officer.sign_in("sdpo.mahua")
    assert officer.post("/districts/vaishali/sign-in/", {"sso_required": "1"}).status_code == 404
    unposted = HostClient(None)
    unposted.sign_in("no.posting")
    assert unposted.post("/districts/vaishali/sign-in/", {"sso_required": "1"}).status_code == 302
    assert District.objects.get(pk=world.vaishali.pk).sso_required is False
    assert not AuditEvent.objects.filter(action="district.sso_required").exists()


# --- configuration ---------------------------------------------------------------------------


def test_settings_absent_mean_no_provider(monkeypatch):
    monkeypatch.delenv("KARYALAY_OIDC_SERVER_URL", raising=False)
    assert sso_settings.providers_setting() == {}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KARYALAY_OIDC_SERVER_URL": "sso.example.org"}, r"must be an http\(s\) URL"),
        ({"KARYALAY_OIDC_SERVER_URL": "https://sso.example.org"}, "KARYALAY_OIDC_CLIENT_ID"),
        (
            {"KARYALAY_OIDC_SERVER_URL": "https://sso.example.org", "KARYALAY_OIDC_CLIENT_ID": "k"},
            "KARYALAY_OIDC_CLIENT_SECRET",
        ),
    ],
)
def test_incomplete_settings_fail_at_start(monkeypatch, env, message):
    for name in ("KARYALAY_OIDC_SERVER_URL", "KARYALAY_OIDC_CLIENT_ID", "KARYALAY_OIDC_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        sso_settings.providers_setting()


@pytest.mark.parametrize(
    "address", ["/accounts/3rdparty/", "/accounts/3rdparty/signup/", "/accounts/3rdparty/login/error/"]
)
def test_identity_linking_pages_are_not_found(db, sso_on, world, address):
    officer = HostClient("vaishali")
    officer.sign_in("sdpo.mahua")
    assert officer.get(address).status_code == 404
    assert officer.post(address, {"action": "connect"}).status_code == 404
    assert HostClient(None).get(address).status_code == 404


def test_pages_let_forms_lead_to_the_provider_only_when_configured(vaishali_client, settings, oidc_provider):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert "form-action 'self';" in vaishali_client.get("/accounts/login/")["Content-Security-Policy"]
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [{"provider_id": "state", "settings": {"server_url": oidc_provider.issuer}}]
        }
    }
    policy = vaishali_client.get("/accounts/login/")["Content-Security-Policy"]
    origin = oidc_provider.issuer.removesuffix("/o")
    assert f"form-action 'self' {origin};" in policy
