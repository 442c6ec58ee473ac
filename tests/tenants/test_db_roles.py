"""The app role the web and worker connect as cannot change the audit trail (issue 14, point 9).

The suite itself runs as the superuser that made the test database; these tests run
``manage.py db_roles`` on it (committed: roles are cluster-wide and the command is idempotent, so
runs side by side share them) and then connect as the app role with psycopg, as an insider with
the web's credentials would. Authentication is the test server's: trust on 127.0.0.1, or the
embedded server's Unix socket, so no password is needed.
"""

import threading

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from core.base.audit import audit_append, audit_seal, audit_verify
from core.models import AuditEvent
from state_admin.services.provisioning import DistrictSpec, district_provision
from state_admin.services.rollup import rollup_refresh
from tenants import schemas
from tenants.context import district_context
from tenants.models import District, Domain
from tenants.roles import connected_as, owner_connection, roles, roles_check
from tests.helpers import HostClient

REFUSED = psycopg.errors.InsufficientPrivilege


def _params(user: str) -> dict:
    db = connection.settings_dict
    return {"NAME": db["NAME"], "USER": user, "PASSWORD": "", "HOST": db["HOST"], "PORT": db["PORT"]}


def _connect(user: str) -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        dbname=db["NAME"], user=user, host=db["HOST"] or None, port=db["PORT"] or None, autocommit=True
    )


def _current_user() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


def _in_another_thread(work):
    found = []

    def run():
        try:
            found.append(work())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return found[0]


@pytest.fixture(scope="module")
def roles_made(world, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("db_roles", verbosity=0)
        call_command("db_roles", verbosity=0)  # idempotent: a second run changes nothing and passes
    return roles()


@pytest.fixture
def app(roles_made):
    with _connect(roles_made.app) as conn:
        yield conn


def _refused(conn: psycopg.Connection, statement: str) -> None:
    with pytest.raises(REFUSED):
        conn.execute(statement)


def test_db_roles_leaves_nothing_that_lets_the_app_role_change_the_audit_trail(roles_made, django_db_blocker):
    with django_db_blocker.unblock():
        assert roles_check() == []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, pg_has_role(%s, %s, 'MEMBER')"
                " FROM pg_roles WHERE rolname = %s",
                [roles_made.app, roles_made.owner, roles_made.app],
            )
            assert cursor.fetchone() == (False, False, False, False, False)
            cursor.execute(
                "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class WHERE relnamespace = %s::regnamespace",
                [f'"{District.objects.get(slug="vaishali").schema_name}"'],
            )
            assert [row[0] for row in cursor.fetchall()] == [roles_made.owner]


def test_app_role_cannot_update_delete_or_truncate_vaishali_audit(world, app):
    schema = world.vaishali.schema_name
    before = app.execute(f'SELECT count(*), max(hash) FROM "{schema}".core_auditevent').fetchone()
    assert before[0] > 0
    _refused(app, f"UPDATE \"{schema}\".core_auditevent SET summary = 'nothing happened'")
    _refused(
        app,
        f'DELETE FROM "{schema}".core_auditevent WHERE id = (SELECT max(id) FROM "{schema}".core_auditevent)',
    )
    _refused(app, f'TRUNCATE "{schema}".core_auditevent')
    _refused(app, "UPDATE public.state_admin_auditevent SET actor_login = 'someone else'")
    _refused(app, "DELETE FROM public.state_admin_auditevent")
    _refused(app, "DELETE FROM public.state_admin_auditanchor")
    assert app.execute(f'SELECT count(*), max(hash) FROM "{schema}".core_auditevent').fetchone() == before


def test_app_role_cannot_switch_the_append_only_triggers_off(world, app, roles_made):
    schema = world.vaishali.schema_name
    _refused(app, f'ALTER TABLE "{schema}".core_auditevent DISABLE TRIGGER ALL')
    _refused(app, f'ALTER TABLE "{schema}".core_auditevent DISABLE TRIGGER core_auditevent_no_delete')
    _refused(app, f'DROP TRIGGER core_auditevent_no_update ON "{schema}".core_auditevent')
    _refused(app, f'DROP FUNCTION "{schema}".core_auditevent_refuse_change() CASCADE')
    _refused(app, "SET session_replication_role = replica")
    _refused(app, f'ALTER TABLE "{schema}".core_auditevent OWNER TO {roles_made.app}')
    # A GRANT by a role without the grant option only warns, and grants nothing.
    app.execute(f'GRANT UPDATE, DELETE ON "{schema}".core_auditevent TO {roles_made.app}')
    _refused(app, f"UPDATE \"{schema}\".core_auditevent SET summary = 'granted myself'")
    _refused(app, f"SET ROLE {roles_made.owner}")
    _refused(app, f"ALTER ROLE {roles_made.app} SUPERUSER")


def test_app_role_cannot_create_in_public_or_drop_a_schema(world, app):
    _refused(app, "CREATE TABLE public.planted (id int)")
    _refused(app, "CREATE SCHEMA planted")
    _refused(app, f'DROP SCHEMA "{world.muzaffarpur.schema_name}" CASCADE')
    _refused(app, f'DROP TABLE "{world.vaishali.schema_name}".core_auditevent')


def test_app_role_does_ordinary_work_and_appends_proper_audit_events(world, roles_made, django_db_blocker):
    schema = world.vaishali.schema_name
    with django_db_blocker.unblock():
        with connected_as(_params(roles_made.app)) as switched:
            assert switched and _current_user() == roles_made.app
            assert _in_another_thread(_current_user) != roles_made.app  # this thread's connection only
            with transaction.atomic(), district_context(schema):
                before = AuditEvent.objects.count()
                event = audit_append(actor=None, action="test.app_role", summary="appended by the app role")
                assert AuditEvent.objects.count() == before + 1
                assert audit_seal() >= 1  # the worker seals as the app role
                assert AuditEvent.objects.get(pk=event.pk).seq is not None
                assert audit_verify().ok
                with connection.cursor() as cursor:
                    cursor.execute("UPDATE core_office SET name = name")
                    cursor.execute("DELETE FROM core_posting WHERE false")
                    cursor.execute("UPDATE public.tenants_user SET last_login = last_login WHERE false")
                transaction.set_rollback(True)  # nothing kept: the proof is that each statement ran
        assert _current_user() != roles_made.app  # the thread's connection is the suite's again


def test_the_sites_sign_in_serve_and_audit_as_the_app_role(world, roles_made, django_db_blocker):
    """What the web does, on a connection of the app role: sign-ins (sessions, audit), pages of a
    district and of the state console, the rollup a worker runs. Rolled back at the end."""
    schema = world.vaishali.schema_name
    with django_db_blocker.unblock(), connected_as(_params(roles_made.app)), transaction.atomic():
        with district_context(schema):
            before = AuditEvent.objects.count()
        officer = HostClient("vaishali")
        assert officer.sign_in("sdpo.mahua").status_code == 302
        for path in ("/", "/cases/", "/rti/", "/search/?q=mahua", "/cases/pendency/"):
            assert officer.get(path).status_code == 200, path
        staff = HostClient(None)
        assert staff.sign_in("state.staff").status_code == 302
        for path in ("/", "/districts/", "/districts/vaishali/", "/audit/"):
            assert staff.get(path).status_code == 200, path
        rollup_refresh()
        assert _current_user() == roles_made.app
        with district_context(schema):
            assert AuditEvent.objects.count() > before and audit_verify().ok
        transaction.set_rollback(True)


def test_owner_connection_refuses_inside_a_transaction_and_is_a_no_op_without_an_owner(db, roles_made):
    with owner_connection() as switched:  # the suite configures no owner: one role does everything
        assert switched is False
    with (
        override_settings(KARYALAY_OWNER_DATABASE=_params(roles_made.owner)),
        pytest.raises(RuntimeError, match="outside a transaction"),
        owner_connection(),
    ):
        pass


def test_provisioning_by_the_app_role_runs_as_owner_and_protects_the_new_audit_table(
    world, roles_made, django_db_blocker
):
    """The worker connects as the app role; provisioning reconnects as the owner for its schema
    work, and the new district's audit table comes out as protected as Vaishali's."""
    slug = "sitamarhi"
    with django_db_blocker.unblock():
        try:
            with (
                override_settings(KARYALAY_OWNER_DATABASE=_params(roles_made.owner)),
                connected_as(_params(roles_made.app)),
            ):
                district = district_provision(spec=DistrictSpec(slug=slug, name="Sitamarhi"))
                assert district.status == District.Status.LIVE
                assert _current_user() == roles_made.app  # back to the app role afterwards
                assert roles_check() == []
            schema = district.schema_name
            with _connect(roles_made.app) as app:
                owner = app.execute(
                    "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = %s::regclass",
                    [f'"{schema}".core_auditevent'],
                ).fetchone()[0]
                assert owner == roles_made.owner
                assert app.execute(f'SELECT count(*) FROM "{schema}".core_auditevent').fetchone()[0] > 0
                _refused(app, f"UPDATE \"{schema}\".core_auditevent SET summary = 'rewritten'")
                _refused(app, f'DELETE FROM "{schema}".core_auditevent')
                _refused(app, f'TRUNCATE "{schema}".core_auditevent')
                _refused(app, f'ALTER TABLE "{schema}".core_auditevent DISABLE TRIGGER ALL')
                _refused(app, f'DROP SCHEMA "{schema}" CASCADE')
                with app.transaction(force_rollback=True):
                    app.execute(f'UPDATE "{schema}".core_office SET name = name')
        finally:
            district = District.objects.filter(slug=slug).first()
            if district is not None:
                with transaction.atomic():
                    schemas.schema_drop(district.schema_name)
                    Domain.objects.filter(tenant=district).delete()
                    District.objects.filter(pk=district.pk).delete()
