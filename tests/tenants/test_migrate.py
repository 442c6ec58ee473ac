from django.core.management import call_command
from django.db import connection

from tenants.migration_executor import schemas_current
from tenants.models import District
from tenants.naming import schema_name_for


def test_migrate_skips_planned_districts_that_have_no_schema_yet(world, django_db_blocker, capsys):
    # Committed, as `make run` leaves it: a planned district is a row whose schema comes later.
    with django_db_blocker.unblock():
        planned = District.objects.create(
            slug="sheohar", schema_name=schema_name_for("sheohar"), name="Sheohar"
        )
        try:
            call_command("migrate", verbosity=2)
        finally:
            planned.delete()
    out = capsys.readouterr().out
    assert f":{world.vaishali.schema_name}]" in out and ":sheohar]" not in out


def test_migrate_with_nothing_to_apply_leaves_current_district_schemas_alone(
    world, django_db_blocker, capsys
):
    with django_db_blocker.unblock():
        call_command("migrate", verbosity=1)
    out = capsys.readouterr().out
    assert "district schemas have every migration already" in out
    # No "=== Starting migration" under a district's name: migrate did not run there.
    assert f":{world.vaishali.schema_name}]" not in out
    assert f":{world.muzaffarpur.schema_name}]" not in out


def test_a_schema_missing_a_district_migration_is_not_current(world, db):
    vaishali, muzaffarpur = world.vaishali.schema_name, world.muzaffarpur.schema_name
    assert {vaishali, muzaffarpur} <= schemas_current([vaishali, muzaffarpur])
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute(
            f'DELETE FROM "{muzaffarpur}".django_migrations WHERE id = '  # noqa: S608
            f'(SELECT max(id) FROM "{muzaffarpur}".django_migrations WHERE app = %s)',
            ["core"],
        )
    assert schemas_current([vaishali, muzaffarpur]) == {vaishali}


def test_a_schema_without_a_migrations_table_is_not_current(world, db):
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "bare_schema"')
    assert schemas_current(["bare_schema", world.vaishali.schema_name]) == {world.vaishali.schema_name}
