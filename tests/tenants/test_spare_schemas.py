"""Spare copies of the district template, cloned ahead and renamed at provisioning."""

import pytest
from django.db import connection, transaction
from django_tenants.utils import schema_exists

from core.models import AuditEvent, Office
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants import schemas
from tenants.context import district_context
from tenants.models import District


def _spares() -> list[str]:
    return schemas._spares(schemas.SPARE_PREFIX)


@pytest.fixture
def autocommit(world, django_db_blocker):
    """Spares are made and taken in transactions of their own, as in production."""
    with django_db_blocker.unblock():
        for name in _spares():  # left by a browser journey's consumer (its periodic fill)
            schemas.schema_drop(name)
        yield
        connection.set_schema_to_public()
        for district in District.objects.filter(slug="spare-test"):
            schemas.schema_drop(district.schema_name)
            district.domains.all().delete()
            district.delete()
        for name in _spares():
            schemas.schema_drop(name)


def test_provisioning_renames_a_spare_and_the_district_starts_with_its_own_data_only(autocommit):
    assert schemas.spares_fill(1) == 1
    (spare,) = _spares()
    district = district_provision(spec=DistrictSpec(slug="spare-test", name="Spare Test"))
    assert _spares() == [] and not schema_exists(spare) and schema_exists(district.schema_name)
    with district_context(district.schema_name):
        assert list(Office.objects.values_list("kind", flat=True)) == [Office.Kind.SP_OFFICE]
        # Only the new district's own events: nothing of the template's or another district's.
        assert not AuditEvent.objects.exclude(action__in=["office.create", "post.create"]).exists()


def test_a_spare_of_an_older_template_is_never_taken_and_the_next_fill_drops_it(autocommit):
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{schemas.SPARE_PREFIX}000000000000_old"')
    with transaction.atomic():
        assert schemas.spare_take("spare_test") is False
    assert schemas.spares_fill(1) == 1
    assert len(_spares()) == 1 and not _spares()[0].endswith("_old")


def test_a_provisioning_that_fails_after_taking_a_spare_gives_it_back(autocommit):
    schemas.spares_fill(1)
    (spare,) = _spares()
    with pytest.raises(RuntimeError), transaction.atomic():
        assert schemas.spare_take("spare_test") is True
        raise RuntimeError("a later step failed")
    assert _spares() == [spare] and not schema_exists("spare_test")


def test_spares_fill_refuses_to_run_inside_a_transaction(autocommit):
    with transaction.atomic(), pytest.raises(RuntimeError, match="outside a transaction"):
        schemas.spares_fill(1)
