"""The one way to run code under a district's schema outside a request."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from tenants.models import District

__all__ = ["district_context", "public_context", "current_schema"]


def current_schema() -> str:
    return connection.schema_name


@contextmanager
def district_context(schema_name: str | District) -> Iterator[None]:
    """Run the block with ``search_path`` set to the district's schema (then public).

    Raises LookupError for a name that is not a live or provisioned district, so that a typo
    never silently runs against the public schema. Given the ``District`` itself (read from the
    District table by the caller: a loop over districts, provisioning), its schema name is not
    looked up again, which saves a round trip a district (LookupError where it has none).
    """
    if isinstance(schema_name, District):
        name = schema_name.schema_name
        if not name or name == get_public_schema_name():
            raise LookupError(f"District {schema_name.slug!r} has no schema")
        schema_name = name
    elif (
        schema_name == get_public_schema_name()
        or not District.objects.filter(schema_name=schema_name).exists()
    ):
        raise LookupError(f"No district with schema {schema_name!r}")
    with schema_context(schema_name):
        yield


@contextmanager
def public_context() -> Iterator[None]:
    with schema_context(get_public_schema_name()):
        yield
