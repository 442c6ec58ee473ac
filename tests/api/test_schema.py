"""The committed schemas (docs/openapi-*.yaml) are what the code makes; the schema and its UI are
served on every host, the UI from the site's own static files."""

from pathlib import Path

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize(
    ("urlconf", "name"),
    [("config.api.urls_district", "openapi-district.yaml"), ("config.api.urls_public", "openapi-state.yaml")],
)
def test_committed_schema_matches_the_code(urlconf, name):
    schema = SchemaGenerator(urlconf=urlconf).get_schema(request=None, public=True)
    made = OpenApiYamlRenderer().render(schema, renderer_context={}).decode()
    assert made == (DOCS / name).read_text(), f"run `make api-schema` and commit docs/{name}"


@pytest.mark.parametrize("slug", ["vaishali", None])
def test_schema_and_its_ui_are_served_on_every_host(api_client, slug):
    client = api_client(slug)
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"openapi: 3" in schema.content
    assert (b"/api/v1/inbox/" in schema.content) == (slug is not None)
    assert (b"/api/v1/districts/" in schema.content) == (slug is None)
    ui = client.get("/api/v1/schema/ui/")
    assert ui.status_code == 200
    page = ui.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "//cdn" not in page and "https://" not in page
    assert "<style" not in page and "<script>" not in page  # the site's policy holds
    # Its start-up script is a URL of the site (the sidecar's files are collected with the rest).
    start = client.get("/api/v1/schema/ui/?script=")
    assert start.status_code == 200 and "/api/v1/schema/" in start.content.decode()
