"""``/api/v1/`` on a district's host: the district API (``core.api``, and ``district_admin.api``
for its admin) and its schema; ``/api/tokens/``, the person's personal access tokens (a page of
the site)."""

from config.api.hosts import api_urlpatterns
from core.api import token_pages
from core.api.urls import urlpatterns as api_patterns
from district_admin.api_urls import urlpatterns as admin_api_patterns

urlpatterns = api_urlpatterns(
    urlconf="config.api.urls_district", token_pages=token_pages, patterns=[*api_patterns, *admin_api_patterns]
)
