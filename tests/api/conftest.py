"""API tests: the e-File world of ``tests/core/efile`` and tokens made through the real service."""

import pytest

from tenants.api_tokens import api_token_create
from tenants.models import ApiToken, District
from tests.core.efile.conftest import ef  # noqa: F401 -- the fixture, shared
from tests.helpers import HostClient


class ApiClient(HostClient):
    """A host's client that sends a token (``token=``) or the session, and answers in JSON."""

    def __init__(self, subdomain, token: str | None = None, **defaults):
        if token:
            defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        super().__init__(subdomain, **defaults)

    def post_json(self, path, data=None, **extra):
        return self.post(path, data or {}, content_type="application/json", **extra)


@pytest.fixture
def token_for(world, db):
    """``token_for(person, "vaishali", scope="read-write")``: a fresh token's text (district None:
    a state token)."""

    def make(person, slug: str | None, *, scope: str = ApiToken.Scope.READ_WRITE, days: int = 30) -> str:
        district = District.objects.get(slug=slug) if slug else None
        return api_token_create(person=person, district=district, name="test", scope=scope, days=days)[1]

    return make


@pytest.fixture
def api_client(world, db):
    return ApiClient
