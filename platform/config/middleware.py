"""The access gate every request passes once the user is known."""

import functools

from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse

from config.access import has_totp, mfa_required, refusal_reason

# Paths a signed-in person may reach before setting a password or MFA: the pages that do it.
_SETUP_URL_NAMES = (
    "account_change_password",
    "mfa_activate_totp",
    "mfa_index",
    "account_logout",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_generate_recovery_codes",
    "account_reauthenticate",
)


def signed_in_by_sso(request) -> bool:
    """This session was signed in through the state's identity provider (config.sso), whose
    person needs no Karyalay password of their own: an imported officer's first-password step
    does not apply to them."""
    records = request.session.get("account_authentication_methods") or []
    return any(record.get("method") == "socialaccount" for record in records if isinstance(record, dict))


@functools.cache
def _setup_paths(urlconf: str | None) -> frozenset[str]:
    return frozenset(reverse(name, urlconf=urlconf) for name in _SETUP_URL_NAMES)


class AccessGateMiddleware:
    """Signed-in people who may not use this host are signed out with a page saying why; those
    who must first set their own password or TOTP are sent to do it.

    Goes last: it needs the tenant, the session's user and allauth's middleware before it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            reason = refusal_reason(request, user)
            if reason:
                logout(request)
                return render(request, "access_refused.html", {"reason": reason}, status=403)
            setup_paths = _setup_paths(getattr(request, "urlconf", None))
            if request.path not in setup_paths and not request.path.startswith("/i18n/"):
                if user.must_set_password and not signed_in_by_sso(request):
                    return redirect("account_change_password")
                if mfa_required(request, user) and not has_totp(user):
                    return redirect("mfa_activate_totp")
        return self.get_response(request)
