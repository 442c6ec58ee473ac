"""``/api/v1/`` on a district's host: the district API (``core.api``, and ``district_admin.api``
for its admin) and its schema; ``/api/tokens/``, the person's personal access tokens (a page of
the site)."""

from django.urls import include, path, re_path

from config.api.errors import not_found
from config.api.schema import schema_urls
from config.api.throttles import exempt_from_page_limits
from core.api import token_pages
from core.api.urls import urlpatterns as api_patterns
from district_admin.api_urls import urlpatterns as admin_api_patterns

urlpatterns = [
    path("api/tokens/", token_pages.tokens_page, name="api_tokens"),
    path("api/tokens/<int:token_id>/revoke/", token_pages.token_revoke, name="api_token_revoke"),
    path(
        "api/v1/",
        include(
            [
                *schema_urls("config.api.urls_district"),
                *exempt_from_page_limits([*api_patterns, *admin_api_patterns]),
                re_path(r"", not_found),
            ]
        ),
    ),
]
