"""The OpenAPI schema of each host's API and its browsable UI (Swagger UI from
drf-spectacular-sidecar's static files: nothing from a CDN). The schema describes operations,
not data, so it is served to anyone, like the sign-in page."""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from config.headers import CONTENT_SECURITY_POLICY

# Swagger UI sets style attributes from its script: this page alone allows inline styles.
SWAGGER_CSP = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class SchemaView(SpectacularAPIView):
    permission_classes = [AllowAny]
    authentication_classes = []


class SwaggerView(SpectacularSwaggerSplitView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = SWAGGER_CSP
        return response


def schema_urls(urlconf: str) -> list:
    from django.urls import path

    return [
        path("schema/", SchemaView.as_view(urlconf=urlconf), name="api_schema"),
        path("schema/ui/", SwaggerView.as_view(url_name="api_schema"), name="api_schema_ui"),
    ]
