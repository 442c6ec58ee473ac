"""The OpenAPI schema of each host's API and its browsable UI (Swagger UI from
drf-spectacular-sidecar's static files: nothing from a CDN). The schema describes operations,
not data, so it is served to anyone, like the sign-in page. The UI's page is drf-spectacular's
"split" one (its start-up script from a URL, not inline) without the inline <style> block
(templates/drf_spectacular/swagger_ui.html): the site's Content-Security-Policy holds there too."""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny


class SchemaView(SpectacularAPIView):
    permission_classes = [AllowAny]
    authentication_classes = []


class SwaggerView(SpectacularSwaggerSplitView):
    permission_classes = [AllowAny]
    authentication_classes = []


def schema_urls(urlconf: str) -> list:
    from django.urls import path

    return [
        path("schema/", SchemaView.as_view(urlconf=urlconf), name="api_schema"),
        path("schema/ui/", SwaggerView.as_view(url_name="api_schema"), name="api_schema_ui"),
    ]
