"""allauth adapter: closed sign-up, the access rule at login, links from the district's own domain."""

import ipaddress
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.access import refusal_reason
from config.sign_in import attempts_key, sign_in_check
from tenants.urls import Site, absolute_url


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Shown for an unknown login ID too, so it tells nothing about who has an account.
        "too_many_login_attempts": _(
            "Too many failed sign-in attempts with this login ID or from your network. For your "
            "safety, sign-in is paused on every district and on the state console: try again in "
            "15 minutes, or reset your password."
        ),
    }

    def is_open_for_signup(self, request) -> bool:
        # Accounts are provisioned by the state IT department and district admins.
        return False

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth's key for its per-account failure limit (also cleared by a password reset):
        # the account, on every host alike, not "this host's name:the text typed".
        return attempts_key(credentials)

    def authenticate(self, request, **credentials):
        """Password check for sign-in (and re-authentication): a right password from someone who
        may not use this host is a failure like a wrong one (config.sign_in)."""
        self.pre_authenticate(request, **credentials)  # counts the attempt; refuses past the limit
        user = sign_in_check(request, credentials)
        if user is not None:
            self._rollback_login_failed_rl_usage()  # a sign-in that succeeds is not counted
        else:
            self.authentication_failed(request, **credentials)
        return user

    def get_client_ip(self, request) -> str:
        """The address the per-address sign-in limits count: the proxy's header where one is
        configured (KARYALAY_CLIENT_IP_HEADER), else the connecting address. Only the proxy can
        set the header; a request that reaches the app without it is counted by its own address."""
        header = settings.KARYALAY_CLIENT_IP_HEADER
        value = (request.headers.get(header) or "").strip() if header else ""
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            return request.META.get("REMOTE_ADDR") or ""

    def pre_login(self, request, user, **kwargs):
        # Not reached by a password sign-in that may not happen here (authenticate refuses it
        # as a wrong password); kept for any other way in.
        reason = refusal_reason(request, user)
        if reason:
            return render(request, "access_refused.html", {"reason": reason}, status=403)
        return super().pre_login(request, user, **kwargs)

    def get_reset_password_from_key_url(self, key: str) -> str:
        # Built from the district's own domain, never from the request's Host header.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(self.request.tenant, path.replace("UID-KEY", quote(key)))

    def send_password_reset_mail(self, user, email, context) -> None:
        # Only to people who may use this host; others get nothing, as for an unknown address.
        if refusal_reason(self.request, user) is None:
            super().send_password_reset_mail(user, email, context)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth would name the site after the request's Host header; name it from configuration.
        context = {**context, "current_site": Site(self.request.tenant)}
        super().send_mail(template_prefix, email, context)
