"""URLs of a district's host (its own schema)."""

from django.urls import include, path

from config.sso import CLOSED_URLS as SSO_CLOSED_URLS
from config.views import healthz
from tenants.language import language_set

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", language_set, name="set_language"),
    *SSO_CLOSED_URLS,  # allauth's identity-linking pages: not here (config.sso)
    path("accounts/", include("allauth.urls")),
    path("admin/", include("district_admin.urls")),
    # Reading offline (issue 18.4): the service worker's script at the root, and its page.
    path("", include("core.offline.urls")),
    path("", include("config.api.urls_district")),  # /api/v1/ (issue 20)
    path("", include("core.urls")),
]

# A database with no connection to give answers 503, not 500 (config.unavailable).
handler500 = "config.unavailable.server_error"
