"""Response headers that Django's own settings do not cover: the Content-Security-Policy, and
``Cache-Control: no-store`` on whatever is served to a signed-in person or on a sign-in page."""

import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.cache import patch_cache_control

# What the pages need and nothing more: scripts and styles from the site's own static files only
# (no inline script, no event-handler attributes, no style attributes or <style> blocks: the
# templates use classes and static/*.js), images from the site and data: URLs (allauth's TOTP QR
# code is one), fetch() to the own host, forms posting to the own host, no plugins, and no page
# framed by any other (X-Frame-Options DENY says the same to older browsers). A response that
# brings its own policy keeps it: stored files are served with a stricter sandbox
# (core.base.serving.SANDBOX_CSP).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


@functools.lru_cache(maxsize=4)
def _policy_for(sso_origin: str) -> str:
    if not sso_origin:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace("form-action 'self'", f"form-action 'self' {sso_origin}")


def content_security_policy() -> str:
    """The policy, whose ``form-action`` also names the state's identity provider where single
    sign-on is configured: the SSO button posts to the own host, which redirects to the provider,
    and browsers hold a form's redirects to ``form-action`` too (config.sso)."""
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS") or []
    server_url = (apps[0].get("settings") or {}).get("server_url", "") if apps else ""
    parts = urlsplit(server_url)
    return _policy_for(f"{parts.scheme}://{parts.netloc}" if parts.netloc else "")


NO_STORE = "no-store, private"

# Sent on the response that signs a person out: the browser deletes its HTTP cache and the site's
# storage (the service worker's saved pages, notes kept offline, the worker itself), so the next
# person at a shared PC finds nothing of the last one's (issue 18.4; static/offline/sw.js also
# deletes its copies when the page tells it of the sign-out).
CLEAR_AT_SIGN_OUT = '"cache", "storage"'

# allauth's pages: sign-in, its TOTP step, password reset and change, MFA set-up.
_SIGN_IN_URL_PREFIXES = ("account_", "mfa_")


class ContentSecurityPolicyMiddleware:
    """Sends the policy on every response that has none. Goes first in MIDDLEWARE, before the
    district middleware, so that the pages it answers by itself (unknown host, suspended or
    planned district) carry it too; it reads nothing from the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = content_security_policy()
        return response


class PrivateCacheMiddleware:
    """``Cache-Control: no-store, private`` on everything served to a signed-in person (before
    or after the view: a sign-out page too) and on the sign-in pages, so that neither a shared
    cache nor the browser's history keeps a copy; and ``Clear-Site-Data`` on the response that
    signed the person out. Goes after the host-bound session middleware, which decides who is
    signed in on this host."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated or _is_sign_in_page(request):
            patch_cache_control(response, no_store=True, private=True)
        if signed_in and not request.user.is_authenticated:
            response["Clear-Site-Data"] = CLEAR_AT_SIGN_OUT
        return response


def _is_sign_in_page(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return bool(match and match.url_name and match.url_name.startswith(_SIGN_IN_URL_PREFIXES))
