"""``/api/v1/`` on the root domain: the state API (``state_admin.api``) and its schema;
``/api/tokens/``, platform staff's tokens (a page of the console)."""

from django.urls import include, path, re_path

from config.api.errors import not_found
from config.api.schema import schema_urls
from config.api.throttles import exempt_from_page_limits
from state_admin.api import token_pages
from state_admin.api.urls import urlpatterns as api_patterns

urlpatterns = [
    path("api/tokens/", token_pages.tokens_page, name="api_tokens"),
    path("api/tokens/<int:token_id>/revoke/", token_pages.token_revoke, name="api_token_revoke"),
    path(
        "api/v1/",
        include(
            [
                *schema_urls("config.api.urls_public"),
                *exempt_from_page_limits(api_patterns),
                re_path(r"", not_found),
            ]
        ),
    ),
]
