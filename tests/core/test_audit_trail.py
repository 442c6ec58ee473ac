"""The district audit trail: append-only in the database, hash-chained by the sealer, verified by a
command, never forked by concurrent writers and sealers, and read through selectors.
(Appends without a lock, the seal's order and the unsealed window: test_audit_seal.py.)"""

import datetime
import importlib
import threading
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from core.base.audit import (
    BROKEN_LINK,
    EDITED,
    GENESIS,
    GUARD_TRIGGERS,
    Actor,
    audit_append,
    audit_seal,
    audit_verify,
    event_content,
    event_hash,
)
from core.models import AuditEvent, Office
from core.org.selectors.audit import audit_event_list, audit_events_for
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants.context import district_context
from tenants.models import District, User
from tests.helpers import district_remove, verify_audit


def _append(n: int, *, action: str = "test.event", actor: Actor | None = None, **kwargs) -> list[AuditEvent]:
    """n events, each in its own transaction, then sealed (as the sealer does a moment later)."""
    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(audit_append(actor=actor, action=action, summary=f"event {i}", **kwargs))
    audit_seal()
    return [AuditEvent.objects.get(pk=event.pk) for event in events]


def _head_hash() -> str:
    return (
        AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values_list("hash", flat=True).first()
    )


def _sql(statement: str, params=None) -> None:
    # A migration's script as migrate sends it: whole, or statement by statement on a Citus
    # cluster, whose workers refuse several in one (tenants.postgresql_backend, issue 21).
    statements = [statement] if params is not None else connection.ops.prepare_sql_script(statement)
    with connection.cursor() as cursor:
        for part in statements:
            cursor.execute(part, params)


def _sql_unguarded(statement: str, params=None) -> None:
    """``statement`` run with the table's guards off, as someone with the owner's rights could."""
    _guards(False)
    _sql(statement, params)
    _guards(True)


def _guards(on: bool) -> None:
    # As the table's owner, inside the test transaction: rolled back with it.
    _sql(f"ALTER TABLE core_auditevent {'ENABLE' if on else 'DISABLE'} TRIGGER USER")


# --- The chain ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_event_hashes_the_previous_one_and_its_content(world):
    with district_context("vaishali"):
        audit_seal()
        before = _head_hash() or GENESIS
        first, second = _append(2, details={"n": 1, "when": datetime.date(2025, 1, 2)})
        assert first.prev_hash == before
        assert second.prev_hash == first.hash and second.seq == first.seq + 1
        stored = AuditEvent.objects.get(pk=second.pk)
        assert stored.hash == event_hash(stored.prev_hash, event_content(stored))
        assert stored.details == {"n": 1, "when": "2025-01-02"}
        assert stored.person_login == "system"


def test_append_outside_a_transaction_is_refused(world, django_db_blocker):
    refused: list[BaseException] = []

    def autocommit_caller() -> None:  # its own connection, in autocommit as a careless caller would be
        try:
            with district_context("vaishali"):
                audit_append(actor=None, action="test.event")
        except RuntimeError as error:
            refused.append(error)
        finally:
            connection.close()

    with django_db_blocker.unblock():
        before = _committed_count("vaishali")
        worker = threading.Thread(target=autocommit_caller)
        worker.start()
        worker.join()
        assert len(refused) == 1 and _committed_count("vaishali") == before


def _committed_count(schema: str) -> int:
    with district_context(schema):
        return AuditEvent.objects.count()


@pytest.mark.django_db
def test_target_person_post_and_address_are_recorded(world):
    person = User.objects.get(login_id="vaishali.admin")
    with district_context("vaishali"):
        office = Office.objects.create(code="audit-o1", name="Audit office", kind=Office.Kind.OTHER)
        actor = Actor(person=person, post_id=7, ip="2001:DB8:0:0::1")
        (event,) = _append(1, actor=actor, target=office)
        stored = AuditEvent.objects.get(pk=event.pk)
        assert (stored.target_type, stored.target_id) == ("office", str(office.pk))
        assert (stored.person_id, stored.person_login, stored.post_id) == (person.pk, "vaishali.admin", 7)
        assert stored.ip == "2001:db8::1"
        assert audit_verify().ok


def test_actor_from_request_takes_remote_addr_only_and_handles_anonymous():
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="203.0.113.9")
    request.user = SimpleNamespace(is_authenticated=False)
    actor = Actor.from_request(request, post_id=3)
    assert actor == Actor(person=None, post_id=3, ip="10.1.2.3")

    no_user = factory.get("/", REMOTE_ADDR="not-an-address")
    assert Actor.from_request(no_user) == Actor(person=None, post_id=None, ip=None)
    signed_in = factory.get("/", REMOTE_ADDR="")
    signed_in.user = SimpleNamespace(is_authenticated=True, pk=1)
    assert Actor.from_request(signed_in).person is signed_in.user
    assert Actor.from_request(signed_in).ip is None


# --- Append-only in the database ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditevent SET summary = 'changed' WHERE id = %(id)s",
        "DELETE FROM core_auditevent WHERE id = %(id)s",
        "TRUNCATE core_auditevent",
    ],
)
def test_the_database_refuses_update_delete_and_truncate(world, statement):
    with district_context("vaishali"):
        (event,) = _append(1)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _sql(statement, {"id": event.pk})
        assert AuditEvent.objects.get(pk=event.pk).summary == "event 0"
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(summary="changed")
        assert audit_verify().ok


@pytest.mark.django_db
def test_a_freshly_provisioned_district_refuses_changes_to_its_trail(world):
    district = district_provision(
        spec=DistrictSpec(slug="sheohar", name="Sheohar", name_hi="शिवहर", range_name="Tirhut")
    )
    with district_context(district.schema_name):
        (event,) = _append(1)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _sql("UPDATE core_auditevent SET summary = 'x' WHERE id = %s", [event.pk])
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _sql("DELETE FROM core_auditevent")
        result = audit_verify()
        assert result.ok and result.head_hash == event.hash and result.guards_off == ()
        # The function lives in the district's own schema and names no other.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT n.nspname, pg_get_functiondef(p.oid) FROM pg_proc p "
                "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname = 'core_auditevent_refuse_change'"
            )
            homes = {row[0]: row[1] for row in cursor.fetchall()}
    assert district.schema_name in homes and "public" not in homes
    assert "_district_template" not in homes[district.schema_name]
    # Rolled back with the test: nothing of sheohar is left for others.


@pytest.mark.django_db
def test_verify_reports_disabled_guards(world):
    with district_context("vaishali"):
        _sql("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_delete")
        result = audit_verify()
    assert not result.ok and result.bad_event_id is None
    assert result.guards_off == ("core_auditevent_no_delete",)
    out, code = verify_audit("vaishali")
    assert code == 1 and "core_auditevent_no_delete is missing or disabled" in out


# --- Tampering is found at the right event --------------------------------------------------


@pytest.mark.django_db
def test_an_edited_event_is_named(world):
    with district_context("vaishali"):
        events = _append(5)
        _sql_unguarded(
            "UPDATE core_auditevent SET summary = 'nothing happened' WHERE id = %s", [events[2].pk]
        )
        result = audit_verify()
    assert (result.ok, result.bad_event_id, result.problem) == (False, events[2].pk, EDITED)
    out, code = verify_audit("vaishali")
    assert code == 1 and f"BAD at event {events[2].pk}" in out and "edited" in out


@pytest.mark.django_db
def test_a_deleted_middle_event_is_found_at_the_next(world):
    with district_context("vaishali"):
        events = _append(5)
        _sql_unguarded("DELETE FROM core_auditevent WHERE id = %s", [events[2].pk])
        result = audit_verify()
    assert (result.bad_event_id, result.problem) == (events[3].pk, BROKEN_LINK)


@pytest.mark.django_db
def test_swapped_contents_are_detected(world):
    with district_context("vaishali"):
        events = _append(5)
        _guards(False)
        _sql(
            "UPDATE core_auditevent t SET summary = s.summary, at = s.at FROM core_auditevent s "
            "WHERE (t.id, s.id) IN ((%(a)s, %(b)s), (%(b)s, %(a)s))",
            {"a": events[1].pk, "b": events[3].pk},
        )
        _guards(True)
        result = audit_verify()
    assert (result.bad_event_id, result.problem) == (events[1].pk, EDITED)


@pytest.mark.django_db
def test_reordered_whole_events_are_detected(world):
    with district_context("vaishali"):
        a, b = _append(4)[1:3]
        _guards(False)
        columns = "at, summary, prev_hash, hash"
        _sql(
            "UPDATE core_auditevent SET prev_hash = 'a' || id, hash = 'b' || id WHERE id IN (%s, %s)",
            [a.pk, b.pk],
        )
        for row, other in ((a, b), (b, a)):
            _sql(
                f"UPDATE core_auditevent SET ({columns}) = (%s, %s, %s, %s) WHERE id = %s",
                [other.at, other.summary, other.prev_hash, other.hash, row.pk],
            )
        _guards(True)
        result = audit_verify()
    assert (result.bad_event_id, result.problem) == (a.pk, BROKEN_LINK)


# --- The command ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_verify_command_prints_ok_with_the_count(world):
    with district_context("vaishali"):
        _append(3)
        count = AuditEvent.objects.count()
        head = _head_hash()
    out, code = verify_audit("vaishali")
    assert code == 0
    assert f"vaishali: OK, {count} events, head {head}" in out


@pytest.mark.django_db
def test_verify_command_all_checks_every_district_with_a_schema(world):
    District.objects.create(slug="planned-x", schema_name="planned_x", name="Planned", status="planned")
    with district_context("muzaffarpur"):
        events = _append(3)
        _sql_unguarded("UPDATE core_auditevent SET action = 'test.other' WHERE id = %s", [events[0].pk])
    out, code = verify_audit("--all")
    assert code == 1
    assert "vaishali: OK" in out and f"muzaffarpur: BAD at event {events[0].pk}" in out
    assert "planned" not in out


@pytest.mark.django_db
@pytest.mark.parametrize("args", [(), ("vaishali", "--all"), ("nowhere",)])
def test_verify_command_refuses_bad_arguments(world, args):
    with pytest.raises(CommandError):
        call_command("verify_audit", *args, stdout=StringIO())


# --- Concurrency ----------------------------------------------------------------------------

RACE_SLUG = "audit-race"


@pytest.fixture
def race_district(world, django_db_blocker):
    """A district committed for real (threads use their own connections), removed afterwards."""
    with django_db_blocker.unblock():
        district = district_provision(
            spec=DistrictSpec(slug=RACE_SLUG, name="Audit Race", name_hi="ऑडिट", range_name="Tirhut")
        )
        try:
            yield district
        finally:
            district_remove(RACE_SLUG)


def test_concurrent_appends_never_fork_the_chain(race_district, django_db_blocker):
    threads, per_thread = 4, 25
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def writer(n: int) -> None:
        try:
            with district_context(race_district.schema_name):
                start.wait()
                for i in range(per_thread):
                    with transaction.atomic():
                        audit_append(actor=None, action="test.race", summary=f"writer {n} event {i}")
                    if i % 5 == 4:  # every writer is a sealer too: sealers take turns
                        audit_seal()
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    with django_db_blocker.unblock():
        workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert errors == []
        with district_context(race_district.schema_name):
            audit_seal()
            result = audit_verify()
            prev_hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
            writers = set(AuditEvent.objects.filter(action="test.race").values_list("summary", flat=True))
    assert result.ok and result.unsealed == 0, result
    assert result.count == len(prev_hashes) >= threads * per_thread
    assert len(set(prev_hashes)) == len(prev_hashes)
    assert len(writers) == threads * per_thread


# --- Selectors ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_event_list_filters_and_orders_newest_first(world):
    person = User.objects.get(login_id="vaishali.admin")
    with district_context("vaishali"):
        office = Office.objects.create(code="audit-o2", name="Audit office 2", kind=Office.Kind.OTHER)
        other = Office.objects.create(code="audit-o3", name="Audit office 3", kind=Office.Kind.OTHER)
        admin = Actor(person=person)
        created = _append(1, action="auditx.create", actor=admin, target=office)[0]
        renamed = _append(1, action="auditx.rename", actor=admin, target=office)[0]
        elsewhere = _append(1, action="auditx.create", target=other)[0]
        ids = lambda events: [event.pk for event in events]  # noqa: E731

        assert ids(audit_events_for(office)) == [renamed.pk, created.pk]
        assert ids(audit_event_list(target_type="office", target_id=other.pk)) == [elsewhere.pk]
        assert ids(audit_event_list(action_prefix="auditx.")) == [elsewhere.pk, renamed.pk, created.pk]
        assert ids(audit_event_list(action_prefix="auditx.create")) == [elsewhere.pk, created.pk]
        assert ids(audit_event_list(person_id=person.pk, action_prefix="auditx.")) == [renamed.pk, created.pk]
        today = timezone.localdate()
        assert elsewhere.pk in ids(audit_event_list(since=today, until=today))
        assert ids(audit_event_list(until=today - datetime.timedelta(days=1), action_prefix="auditx.")) == []
        assert ids(audit_event_list(since=renamed.at, action_prefix="auditx.")) == [elsewhere.pk, renamed.pk]
        assert ids(audit_event_list(until=created.at, action_prefix="auditx.")) == [created.pk]


@pytest.mark.django_db
def test_the_migration_reverses_and_reapplies(world):
    migration = importlib.import_module("core.migrations.0005_audit_append_only")
    seal = importlib.import_module("core.migrations.0017_audit_seal")
    with district_context("vaishali"):
        _sql(seal.BACKWARD)
        _sql(migration.BACKWARD)
        assert set(audit_verify().guards_off) == set(GUARD_TRIGGERS)
        (event,) = _append(1)
        _sql("UPDATE core_auditevent SET summary = 'allowed now' WHERE id = %s", [event.pk])
        _sql("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
        _sql(migration.FORWARD)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _append(1)  # 0005 alone refuses every seal
        _sql(seal.FUNCTION)
        _sql("CREATE INDEX core_auditevent_unsealed_idx ON core_auditevent (id) WHERE seq IS NULL")
        _append(1)
        assert audit_verify().ok
