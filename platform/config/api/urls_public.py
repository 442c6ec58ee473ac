"""``/api/v1/`` on the root domain: the state API (``state_admin.api``) and its schema."""

from django.urls import include, path, re_path

from config.api.errors import not_found
from config.api.schema import schema_urls

urlpatterns = [
    path(
        "api/v1/",
        include(
            [*schema_urls("config.api.urls_public"), path("", include("state_admin.api.urls")), re_path(r"", not_found)]
        ),
    ),
]
