"""allauth adapter: closed sign-up, the access rule at login, links from the district's own domain."""

from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django.shortcuts import render
from django.urls import reverse

from config.access import refusal_reason
from tenants.urls import Site, absolute_url


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts are provisioned by the state IT department and district admins.
        return False

    def pre_login(self, request, user, **kwargs):
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
