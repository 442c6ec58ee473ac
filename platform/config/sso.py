"""Single sign-on through the state's OpenID Connect provider (issue 20.5; README "Single sign-on").

allauth runs the flow (state, PKCE, the code exchange, the ID token and userinfo); this module
decides who the identity is and whether they may use this host:

- The identity is matched to an existing account by the login-ID claim
  (``KARYALAY_OIDC_LOGIN_CLAIM``, default ``preferred_username``) or, failing that, by an e-mail
  address the provider says it verified (``KARYALAY_OIDC_MATCH_EMAIL``). It is matched again at
  every sign-in and never stored: no ``SocialAccount`` row, no account made, no password touched.
- An identity that matches no account, or matches someone who may not use this host (no posting in
  this district, deactivated here), gets a refusal page saying so (403), never a sign-up form.
- Only district hosts: the state console keeps its password and TOTP path alone, so a compromised
  identity provider cannot reach it. On district hosts allauth's MFA stage still runs after the
  provider, so a person with TOTP (district admins must have it) is asked for their code.
"""

from urllib.parse import urlencode

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal.datakit import parse_bool_safely
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from config.access import on_state_console, refusal_reason
from tenants.models import User


def sso_app_config() -> dict | None:
    """The configured provider's app settings (name, client id, settings), or None."""
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS") or []
    return apps[0] if apps else None


def sso_button_name(config: dict) -> str:
    """The provider's name in the active language (Hindi where one is configured)."""
    name_hi = (config.get("settings") or {}).get("name_hi")
    if translation.get_language() == "hi" and name_hi:
        return name_hi
    return config.get("name") or _("State single sign-on")


def sso_available(request) -> bool:
    """SSO is configured and this host is a district's (never the state console)."""
    return sso_app_config() is not None and not on_state_console(request)


def password_sign_in_off(request) -> bool:
    """This district accepts only single sign-on (``District.sso_required``)."""
    return bool(getattr(request.tenant, "sso_required", False)) and not on_state_console(request)


def _claims(sociallogin) -> dict:
    data = sociallogin.account.extra_data or {}
    # userinfo first, as allauth does; the ID token's claims fill what userinfo lacks.
    return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}


def identity_account(claims: dict) -> User | None:
    """The account an identity's claims name: by login ID, else by a verified e-mail address."""
    login_id = str(claims.get(settings.KARYALAY_OIDC_LOGIN_CLAIM) or "").strip().lower()
    if login_id:
        account = User.objects.filter(login_id=login_id).first()
        if account is not None:
            return account
    email = str(claims.get("email") or "").strip()
    if settings.KARYALAY_OIDC_MATCH_EMAIL and email and parse_bool_safely(claims.get("email_verified")):
        matches = list(User.objects.filter(email__iexact=email)[:2])
        if len(matches) == 1:
            return matches[0]
    return None


def _refuse(request, reason: str, *, status: int = 403):
    return ImmediateHttpResponse(
        render(request, "account/sso_refused.html", {"reason": reason}, status=status)
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """allauth's social-account hooks for the state's provider (see the module's docstring)."""

    def list_apps(self, request, provider=None, client_id=None):
        # Settings only (no SocialApp rows are read), and none on the state console: there every
        # SSO address answers 404 and the sign-in page shows no button.
        if request is not None and on_state_console(request):
            return []
        from allauth.socialaccount.adapter import _build_apps_from_settings

        apps = [
            app
            for provider_apps in _build_apps_from_settings(provider=provider, client_id=client_id).values()
            for app in provider_apps
        ]
        for app in apps:  # fresh objects each call: named in the request's language
            app.name = sso_button_name({"name": app.name, "settings": app.settings})
        return apps

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def is_auto_signup_allowed(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        """Point the sign-in at the account the identity names, or refuse it with a page."""
        if on_state_console(request):
            raise _refuse(request, _("The state console does not accept single sign-on."))
        if sociallogin.state.get("process") != AuthProcess.LOGIN:
            # Linking an identity to an account is the claims' business, never a person's.
            raise _refuse(request, _("Single sign-on can only be used to sign in."))
        claims = _claims(sociallogin)
        account = identity_account(claims)
        if account is None:
            raise _refuse(
                request,
                _(
                    "No Karyalay account matches the identity you signed in with (%(login)s). "
                    "Accounts are made by your district administrator; ask them to add you, with "
                    "this login ID."
                )
                % {"login": claims.get(settings.KARYALAY_OIDC_LOGIN_CLAIM) or claims.get("email") or "?"},
            )
        reason = refusal_reason(request, account)
        if reason:
            raise _refuse(request, reason)
        # The account signs in; the identity is not stored (allauth's is_existing is the account).
        sociallogin.user = account

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        """A failed exchange (a wrong or replayed state, a refused code, the provider down)."""
        if error == "cancelled":
            return  # allauth's "cancelled" page
        raise _refuse(
            request,
            _(
                "Single sign-on did not complete: the answer from the identity provider could not "
                "be checked, or it was used already. Start again from the sign-in page."
            ),
            status=400,
        )


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form, which refuses a password where the district requires single
    sign-on, and tells the page about the SSO button (``ACCOUNT_FORMS["login"]``)."""

    def clean(self):
        if self.request is not None and password_sign_in_off(self.request):
            raise forms.ValidationError(
                _("%(district)s signs in only through single sign-on: use the button below, not a password.")
                % {"district": self.request.tenant.name},
                code="sso_required",
            )
        return super().clean()

    @property
    def sso_only(self) -> bool:
        return self.request is not None and password_sign_in_off(self.request)

    @property
    def sso_button(self) -> dict | None:
        """The SSO button's name and address, or None where there is none."""
        config = sso_app_config()
        if self.request is None or config is None or on_state_console(self.request):
            return None
        url = reverse("openid_connect_login", kwargs={"provider_id": config["provider_id"]})
        query = {"process": AuthProcess.LOGIN}
        next_url = self.request.GET.get("next")
        if next_url:
            query["next"] = next_url
        return {"name": sso_button_name(config), "url": f"{url}?{urlencode(query)}"}


def _not_here(request, *args, **kwargs):
    raise Http404


# allauth's pages for linking identities to accounts and signing up from one: there is no such
# thing here (identities are matched, never stored), so on every host they are not found. Listed
# in both URLconfs before allauth's own.
CLOSED_URLS = [
    path("accounts/3rdparty/", _not_here),
    path("accounts/3rdparty/signup/", _not_here),
    path("accounts/3rdparty/login/error/", _not_here),
]
