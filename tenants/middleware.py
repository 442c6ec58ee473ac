"""Host-to-district resolution and host-bound sessions."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve
from django.utils import translation
from django_tenants.middleware.main import TenantMainMiddleware

from tenants.hosts import district_for_host
from tenants.models import District
from tenants.sessions import SESSION_HOST_KEY

_STATUS_PAGES = {
    District.Status.SUSPENDED: 403,
    District.Status.PLANNED: 503,
    District.Status.PROVISIONING: 503,
}

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# What an archived (read-only) district still accepts by an unsafe method: signing in and out,
# the person's own password and MFA, and the language switch. None of these writes district data.
_READ_ONLY_ALLOWED = frozenset(
    {
        "account_login",
        "account_logout",
        "account_reauthenticate",
        "account_change_password",
        "account_set_password",
        "account_reset_password",
        "account_reset_password_from_key",
        "mfa_authenticate",
        "mfa_reauthenticate",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_deactivate_totp",
        "mfa_generate_recovery_codes",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "set_language",
    }
)


def _allowed_while_read_only(request) -> bool:
    if request.method in _SAFE_METHODS:
        return True
    try:
        match = resolve(request.path_info, urlconf=getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return match.url_name in _READ_ONLY_ALLOWED


class DistrictMiddleware(TenantMainMiddleware):
    """Selects the district (schema and URLconf) from the Host header.

    Must be the first middleware: everything after it reads ``request.tenant`` and runs on the
    district's schema. The root domain is the state console (public schema); an unknown host is
    a 404 page, never the public site or another district; a suspended, planned or provisioning
    district gets a page saying so (its data is kept), before any query touches its schema. An
    archived district is read-only: reads, sign-in/out, password/MFA pages and the language switch
    work; any other unsafe request gets a 403 page saying so.
    """

    def process_request(self, request):
        connection.set_schema_to_public()
        try:
            hostname = self.hostname_from_request(request)
        except DisallowedHost:
            # Answered here, as the unknown host below: Django's own 400 view needs the session,
            # where the CSRF token lives (CSRF_USE_SESSIONS), and no session exists yet.
            return self._page(request, "400.html", {}, status=400)
        tenant = district_for_host(hostname)
        if tenant is None:
            return self._page(request, "404.html", {"hostname": hostname}, status=404)
        tenant.domain_url = hostname
        request.tenant = tenant
        status = getattr(tenant, "status", District.Status.LIVE)
        if status in _STATUS_PAGES:
            return self._page(
                request, "tenants/status.html", {"district": tenant}, status=_STATUS_PAGES[status]
            )
        connection.set_tenant(tenant)
        self.setup_url_routing(request)
        if status == District.Status.ARCHIVED and not _allowed_while_read_only(request):
            connection.set_schema_to_public()
            return self._page(
                request, "tenants/status.html", {"district": tenant, "read_only": True}, status=403
            )
        return None

    @staticmethod
    def hostname_from_request(request) -> str:
        # Exactly the host the client asked for (no www-stripping): a district has one name.
        return request.get_host().split(":")[0]

    @staticmethod
    def _page(request, template: str, context: dict, *, status: int):
        language = translation.get_language_from_request(request)
        with translation.override(language):
            response = TemplateResponse(request, template, context, status=status)
            response.render()
        return response


class HostBoundSessionMiddleware:
    """A session is good only on the host it was made on; elsewhere the visitor is anonymous.

    Goes after AuthenticationMiddleware. Cookies are host-only and each district keeps its own
    session table, so this is the second line: it also covers a district reached by two names,
    or by the same name on another port (browsers send one host's cookies to all its ports).

    On another host the request gets an anonymous user and an empty session that is never
    saved; the person's own session is put back before the response, untouched, so it is neither
    deleted from the database nor its cookie replaced or cleared: a stray request on
    ``vaishali.localhost`` does not sign the person out of ``vaishali.localhost:8000``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated or request.session.get(SESSION_HOST_KEY) == request.get_host():
            return self.get_response(request)
        own_session, own_csrf = request.session, request.META.get("CSRF_COOKIE")
        request.session = _DetachedSession()
        request.user = AnonymousUser()
        try:
            return self.get_response(request)
        finally:
            request.session = own_session
            if own_csrf is not None:  # a sign-in here rotates the token: not the own session's
                request.META["CSRF_COOKIE"] = own_csrf


class _DetachedSession(SessionBase):
    """An empty session for a request on a host the visitor's session was not made on: whatever
    the request puts in it (a sign-in, a CSRF token) lasts for that request only."""

    def exists(self, session_key):
        return False

    def create(self):
        self._session_key = None

    def save(self, must_create=False):
        pass

    def delete(self, session_key=None):
        pass

    def load(self):
        return {}
