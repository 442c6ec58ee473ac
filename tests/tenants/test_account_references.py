"""District rows name accounts without database foreign keys (core.0027); deleting an account that
any district's rows name is refused by the application instead."""

import datetime

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import ProtectedError

from core.models import ActiveDay, Posting
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants import schemas
from tenants.account_references import account_columns, account_naming_schemas
from tenants.context import district_context
from tenants.models import District, User
from tenants.services import person_get_or_create

DAY = datetime.date(2026, 3, 2)


def _district_keys_to_accounts() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f' "
            "AND confrelid = 'public.tenants_user'::regclass AND connamespace <> 'public'::regnamespace"
        )
        return cursor.fetchone()[0]


def _triggers_on_accounts() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'public.tenants_user'::regclass")
        return cursor.fetchone()[0]


def _fresh(login_id: str) -> User:
    person, _ = person_get_or_create(login_id=login_id, full_name="Fresh Person")
    return person


def test_every_district_relation_to_accounts_has_no_database_key_and_no_orm_cascade():
    user = apps.get_model(settings.AUTH_USER_MODEL)
    tenant_labels = {name.rsplit(".", 1)[-1] for name in settings.TENANT_APPS}
    relations = [
        (model._meta.label, field.name, field.db_constraint, field.remote_field.on_delete)
        for model in apps.get_models()
        if model._meta.app_label in tenant_labels
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is user
    ]
    assert len(relations) >= 39
    assert [r for r in relations if r[2] or r[3] is not models.DO_NOTHING] == []
    # The guard's column list is exactly these.
    assert len(account_columns()) == len(relations)
    assert ("core_posting", "person_id") in account_columns()


@pytest.mark.django_db
def test_no_district_table_has_a_database_key_to_accounts(world):
    assert _district_keys_to_accounts() == 0


@pytest.fixture
def autocommit(world, django_db_blocker):
    with django_db_blocker.unblock():
        yield
        connection.set_schema_to_public()
        for district in District.objects.filter(slug="keys-test"):
            schemas.schema_drop(district.schema_name)
            district.domains.all().delete()
            district.delete()


def test_a_new_district_adds_no_trigger_to_the_accounts_table(autocommit):
    before = _triggers_on_accounts()
    district_provision(spec=DistrictSpec(slug="keys-test", name="Keys Test"))
    assert _triggers_on_accounts() == before
    assert _district_keys_to_accounts() == 0


@pytest.mark.django_db
def test_an_account_a_district_posting_names_cannot_be_deleted_from_public_or_another_district(world):
    officer = world.vaishali_officer
    with district_context(world.vaishali.schema_name):
        postings = Posting.objects.filter(person_id=officer.pk).count()
    assert postings >= 1
    assert account_naming_schemas(officer.pk) == [world.vaishali.schema_name]
    # Refused inside the deletion's transaction, as a database key refused it at commit before.
    refused = "named in the records of 1 district and cannot be deleted"
    with pytest.raises(ProtectedError, match=refused), transaction.atomic():
        User.objects.get(pk=officer.pk).delete()
    with district_context(world.muzaffarpur.schema_name), pytest.raises(ProtectedError), transaction.atomic():
        User.objects.filter(pk=officer.pk).delete()
    connection.set_schema_to_public()
    assert User.objects.filter(pk=officer.pk).exists()
    with district_context(world.vaishali.schema_name):
        assert Posting.objects.filter(person_id=officer.pk).count() == postings


@pytest.mark.django_db
def test_rows_of_two_districts_both_count_and_any_table_protects(world):
    person = _fresh("keys.active.days")
    for district in (world.vaishali, world.muzaffarpur):
        with district_context(district.schema_name):
            ActiveDay.objects.create(person_id=person.pk, day=DAY)
    connection.set_schema_to_public()
    assert account_naming_schemas(person.pk) == sorted(
        [world.vaishali.schema_name, world.muzaffarpur.schema_name]
    )
    with pytest.raises(ProtectedError, match="records of 2 districts"), transaction.atomic():
        person.delete()
    assert User.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_an_account_no_district_row_names_is_deleted(world):
    person = _fresh("keys.nobody.names")
    assert account_naming_schemas(person.pk) == []
    with district_context(world.vaishali.schema_name):
        User.objects.filter(pk=person.pk).delete()
    connection.set_schema_to_public()
    assert not User.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_a_row_in_a_schema_with_no_district_row_still_protects(world):
    """The schemas come from the catalog: a spare or a district whose row is gone counts too."""
    person = _fresh("keys.orphan.schema")
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "keys_orphan"')
        cursor.execute('CREATE TABLE "keys_orphan"."core_activeday" (id bigint, person_id bigint, day date)')
        cursor.execute('INSERT INTO "keys_orphan"."core_activeday" VALUES (1, %s, %s)', [person.pk, DAY])
    assert account_naming_schemas(person.pk) == ["keys_orphan"]
    with pytest.raises(ProtectedError), transaction.atomic():
        person.delete()
    assert User.objects.filter(pk=person.pk).exists()
