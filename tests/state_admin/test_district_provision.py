import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django_tenants.utils import schema_exists

from core.models import Office, Posting
from state_admin.services import provisioning
from state_admin.services.provisioning import DistrictSpec, ProvisioningError, district_provision
from tenants.context import district_context
from tenants.models import District, Domain
from tenants.schemas import template_name

pytestmark = pytest.mark.django_db


def _tables(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
        return {row[0] for row in cursor.fetchall()}


def _catalog(schema: str) -> list[tuple]:
    """Columns, constraints and indexes of a schema, with the schema's own name taken out."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT 'col', c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull::text,
                   a.attidentity::text, coalesce(pg_get_expr(d.adbin, d.adrelid), '')
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
            WHERE c.relnamespace = %(s)s::regnamespace AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind = 'r'
            UNION ALL
            SELECT 'con', c.relname, k.conname, replace(pg_get_constraintdef(k.oid), %(s)s || '.', ''),
                   k.contype::text, '', ''
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE k.connamespace = %(s)s::regnamespace
            UNION ALL
            SELECT 'idx', c.relname, i.relname, replace(pg_get_indexdef(i.oid), %(s)s || '.', ''), '', '', ''
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
            WHERE i.relnamespace = %(s)s::regnamespace
            ORDER BY 1, 2, 3
            """,
            {"s": schema},
        )
        return cursor.fetchall()


def _spec(slug="sheohar", **kwargs):
    return DistrictSpec(
        slug=slug, name=kwargs.pop("name", slug.title()), name_hi="शिवहर", range_name="Tirhut", **kwargs
    )


def test_provisioned_schema_holds_every_district_table(world):
    district = district_provision(spec=_spec())
    expected = {"django_migrations"}
    for app in settings.TENANT_APPS:
        config = apps.get_app_config(app.rsplit(".", 1)[-1])
        expected |= {model._meta.db_table for model in config.get_models()}
    assert expected <= _tables(district.schema_name)
    assert district.status == District.Status.LIVE
    assert Domain.objects.get(tenant=district).domain == f"sheohar.{settings.ROOT_DOMAIN}"


def test_clone_has_the_templates_columns_constraints_and_indexes_by_name(world):
    district = district_provision(spec=_spec())
    clone = _catalog(district.schema_name)
    assert clone == _catalog(template_name())
    assert any(row[0] == "idx" and row[2] == "core_posting_one_open_per_person_post" for row in clone)


def test_clone_records_every_migration_so_later_migrations_apply(world):
    district = district_provision(spec=_spec())
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{district.schema_name}".django_migrations ORDER BY 1, 2')
        cloned = cursor.fetchall()
        cursor.execute(f'SELECT app, name FROM "{template_name()}".django_migrations ORDER BY 1, 2')
        assert cloned == cursor.fetchall()
    assert ("core", "0001_initial") in cloned


def test_new_district_starts_with_sp_office_and_admin_posting(world):
    district = district_provision(spec=_spec(admin_login_id="vaishali.admin"))
    with district_context(district.schema_name):
        assert Office.objects.get(code="sp-office").name == "SP Office Sheohar"
        posting = Posting.objects.get(person=world.staff.__class__.objects.get(login_id="vaishali.admin"))
        assert posting.post.kind == "district_admin"
        # New rows continue the cloned identity sequences.
        assert Office.objects.create(code="x", name="X", kind=Office.Kind.OTHER).pk > 0


@pytest.mark.parametrize(
    "step",
    [
        "_step_district_row",
        "_step_schema",
        "_step_clone",
        "_step_domain",
        "_step_seed",
        "_give_admin_posting",
    ],
)
def test_failure_at_any_step_leaves_nothing_and_a_rerun_completes(world, monkeypatch, step):
    original = getattr(provisioning, step)

    def broken(*args, **kwargs):
        original(*args, **kwargs)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(provisioning, step, broken)
    with pytest.raises(ProvisioningError) as failure:
        district_provision(spec=_spec(admin_login_id="vaishali.admin"))
    assert "disk on fire" in str(failure.value)
    assert not schema_exists("sheohar")
    assert not District.objects.filter(slug="sheohar").exists()
    assert not Domain.objects.filter(domain__startswith="sheohar.").exists()

    monkeypatch.setattr(provisioning, step, original)
    district = district_provision(spec=_spec(admin_login_id="vaishali.admin"))
    assert district.status == District.Status.LIVE and schema_exists("sheohar")


def test_running_again_changes_nothing(world):
    first = district_provision(spec=_spec())
    second = district_provision(spec=_spec())
    assert first.pk == second.pk
    assert District.objects.filter(slug="sheohar").count() == 1
    assert Domain.objects.filter(tenant=first).count() == 1


def test_planned_district_is_provisioned_in_place(world):
    planned = District.objects.create(slug="sheohar", schema_name="sheohar", name="Sheohar")
    Domain.objects.create(domain=f"sheohar.{settings.ROOT_DOMAIN}", tenant=planned, is_primary=True)
    district = district_provision(spec=_spec())
    assert district.pk == planned.pk and district.status == District.Status.LIVE
    assert schema_exists("sheohar")


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("", "slug"),
        ("Sheohar", "lowercase"),
        ("sheo_har", "lowercase"),
        ("1sheohar", "start with a letter"),
        ("sheohar-", "end with a hyphen"),
        ("x" * 41, "at most 40"),
        ("www", "reserved"),
        ("admin", "reserved"),
        ("api", "reserved"),
        ("public", "reserved"),
        ("static", "reserved"),
        ("media", "reserved"),
        ("pg-toast", "reserved"),
    ],
)
def test_bad_slugs_are_refused_before_any_schema_is_made(world, slug, message):
    with pytest.raises(ValidationError) as refusal:
        district_provision(spec=DistrictSpec(slug=slug, name="Somewhere"))
    assert message in " ".join(refusal.value.messages)
    assert not District.objects.filter(name="Somewhere").exists()


def test_a_slug_taken_by_another_district_is_refused(world):
    with pytest.raises(ValidationError, match="already used by Vaishali"):
        district_provision(spec=DistrictSpec(slug="vaishali", name="Somewhere else"))


def test_unknown_admin_is_refused(world):
    with pytest.raises(ValidationError, match="nobody.here"):
        district_provision(spec=_spec(admin_login_id="nobody.here"))
    assert not District.objects.filter(slug="sheohar").exists()


def test_plain_migrations_path_builds_the_same_schema(world):
    district = district_provision(spec=_spec(), use_template=False)
    assert _catalog(district.schema_name) == _catalog(template_name())


def test_command_provisions_and_reports_bad_input(world, capsys):
    call_command(
        "provision_district",
        "sheohar",
        name="Sheohar",
        name_hi="शिवहर",
        range_name="Tirhut",
        admin="vaishali.admin",
    )
    assert "Sheohar: live, schema sheohar" in capsys.readouterr().out
    with pytest.raises(CommandError, match="reserved"):
        call_command("provision_district", "www", name="World")
