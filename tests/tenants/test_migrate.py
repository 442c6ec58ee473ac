from django.core.management import call_command

from tenants.models import District
from tenants.naming import schema_name_for


def test_migrate_skips_planned_districts_that_have_no_schema_yet(world, django_db_blocker, capsys):
    # Committed, as `make run` leaves it: a planned district is a row whose schema comes later.
    with django_db_blocker.unblock():
        planned = District.objects.create(
            slug="sheohar", schema_name=schema_name_for("sheohar"), name="Sheohar"
        )
        try:
            call_command("migrate", verbosity=1)
        finally:
            planned.delete()
    out = capsys.readouterr().out
    assert f":{world.vaishali.schema_name}]" in out and ":sheohar]" not in out
