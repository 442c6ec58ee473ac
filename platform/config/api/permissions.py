"""What an authenticated caller may do: the host's rule, and a read token reads only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from config.access import on_state_console
from tenants.models import ApiToken


class MayUseThisHost(permissions.BasePermission):
    """Signed in (session or token) and allowed on this host; unsafe methods need a read-write
    token (or the session). On the state console: platform staff only."""

    message = _("This token may only read.")

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if on_state_console(request) and not user.is_staff:
            return False
        token = request.auth
        if isinstance(token, ApiToken) and request.method not in permissions.SAFE_METHODS:
            return token.can_write
        return True
