"""``/api/v1/`` on the root domain: the state API (``state_admin.api``) and its schema."""

from django.urls import include, path, re_path

from config.api.errors import not_found
from config.api.schema import schema_urls
from state_admin.api import token_pages

urlpatterns = [
    # Platform staff's tokens (an HTML page of the console, not an API operation).
    path("api/tokens/", token_pages.tokens_page, name="api_tokens"),
    path("api/tokens/<int:token_id>/revoke/", token_pages.token_revoke, name="api_token_revoke"),
    path(
        "api/v1/",
        include(
            [*schema_urls("config.api.urls_public"), path("", include("state_admin.api.urls")), re_path(r"", not_found)]
        ),
    ),
]
