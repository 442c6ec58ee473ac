import pytest
from django.db import connection
from django_tenants.utils import schema_exists

from tenants import schemas


@pytest.fixture
def autocommit(world, django_db_blocker):
    """Template maintenance commits on its own, as it does in production."""
    with django_db_blocker.unblock():
        yield
        connection.set_schema_to_public()


def test_a_missing_template_is_rebuilt_from_migrations_before_cloning(autocommit):
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA "{schemas.template_name()}" CASCADE')
    assert not schemas.template_is_current()
    schemas.template_ensure_current()
    assert schema_exists(schemas.template_name())
    assert schemas.template_is_current()


def test_template_refresh_refuses_to_run_inside_a_transaction(autocommit):
    from django.db import transaction

    with transaction.atomic(), pytest.raises(RuntimeError, match="outside a transaction"):
        schemas.template_refresh()


@pytest.mark.django_db
def test_schema_drop_refuses_system_schemas(world):
    for name in ("public", "pg_catalog", "information_schema"):
        with pytest.raises(ValueError):
            schemas.schema_drop(name)
