"""``/api/v1/`` on the root domain: the state API (``state_admin.api``) and its schema;
``/api/tokens/``, platform staff's tokens (a page of the console)."""

from config.api.hosts import api_urlpatterns
from state_admin.api import token_pages
from state_admin.api.urls import urlpatterns as api_patterns

urlpatterns = api_urlpatterns(
    urlconf="config.api.urls_public", token_pages=token_pages, patterns=api_patterns
)
