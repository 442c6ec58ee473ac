"""URLs of the root domain: the state console (public schema)."""

from django.urls import include, path

from config.sso import CLOSED_URLS as SSO_CLOSED_URLS
from config.views import healthz
from tenants.language import language_set

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", language_set, name="set_language"),
    *SSO_CLOSED_URLS,  # allauth's identity-linking pages: not here (config.sso)
    path("accounts/", include("allauth.urls")),
    path("", include("config.api.urls_public")),  # /api/v1/ (issue 20)
    path("", include("state_admin.urls")),
]

# A database with no connection to give answers 503, not 500 (config.unavailable).
handler500 = "config.unavailable.server_error"
