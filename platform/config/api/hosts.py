"""The URLs of an API on one kind of host (a district's, or the root domain): ``/api/tokens/``,
the token pages of that host's console, and ``/api/v1/``, the API's patterns with its schema and a
JSON 404 for anything else. ``urls_district`` and ``urls_public`` each call it once."""

from django.urls import include, path, re_path

from config.api.errors import not_found
from config.api.schema import schema_urls
from config.api.throttles import exempt_from_page_limits


def api_urlpatterns(*, urlconf: str, token_pages, patterns: list) -> list:
    """``urlconf``: the module these patterns are published in (its schema describes them);
    ``token_pages``: the module with that console's ``tokens_page`` and ``token_revoke``."""
    return [
        path("api/tokens/", token_pages.tokens_page, name="api_tokens"),
        path("api/tokens/<int:token_id>/revoke/", token_pages.token_revoke, name="api_token_revoke"),
        path(
            "api/v1/",
            include([*schema_urls(urlconf), *exempt_from_page_limits(patterns), re_path(r"", not_found)]),
        ),
    ]
