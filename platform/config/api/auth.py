"""Who calls the API: a personal access token (``Authorization: Bearer kya_…``) or the browser
session with its CSRF check.

A token is good only on its own host: a district's token on that district's host while its person
holds a posting there and is not deactivated (the same rule as the sign-in, ``config.access``); a
platform staff token on the state console only. Anything else is 401 with the same message, so a
token's existence elsewhere is not told.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from config.access import on_state_console, refusal_reason
from tenants.api_tokens import api_token_find, api_token_used

_BAD = _("The token is not valid here (unknown, expired, revoked, or made for another host).")


def _token_fits_host(request, token) -> bool:
    if on_state_console(request):
        return token.district_id is None and token.person.is_staff
    return token.district_id is not None and token.district_id == request.tenant.pk


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_BAD)
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_BAD) from None
        token = api_token_find(raw)
        if token is None or not token.is_usable() or not _token_fits_host(request, token):
            raise exceptions.AuthenticationFailed(_BAD)
        person = token.person
        reason = refusal_reason(request._request, person)
        if reason:
            raise exceptions.AuthenticationFailed(reason)
        api_token_used(token=token)
        return person, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The site's own session (the access gate has already checked the person may be here), with
    Django's CSRF check on unsafe methods."""


# How the schema names the two ways in (drf-spectacular finds these by the classes they name).
from drf_spectacular.extensions import OpenApiAuthenticationExtension  # noqa: E402


class _TokenScheme(OpenApiAuthenticationExtension):
    target_class = "config.api.auth.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A personal access token (kya_…)."}


class _SessionScheme(OpenApiAuthenticationExtension):
    target_class = "config.api.auth.SessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "karyalay_session"}
