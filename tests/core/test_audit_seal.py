"""Appending to the audit trail takes no lock; the sealer chains committed events shortly after,
in one order, never skipping an event whose transaction commits late; a crash between append and
seal loses nothing; the unsealed window is reported; only the seal itself may update a row."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from core.base.audit import audit_append, audit_seal, audit_unsealed, audit_verify
from core.base.audit.sealer import audit_seal_all, audit_seal_loop
from core.models import AuditEvent
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants.context import district_context
from tenants.models import District
from tests.helpers import database_url_of_test_db, district_remove

SLUG = "audit-seal"
WAIT = 20  # seconds a thread may take before the test gives up on it (never reached when it holds)


@pytest.fixture
def committed_district(world, django_db_blocker):
    """A district committed for real (threads and a child process use their own connections),
    removed afterwards."""
    with django_db_blocker.unblock():
        district = district_provision(
            spec=DistrictSpec(slug=SLUG, name="Audit Seal", name_hi="ऑडिट मुहर", range_name="Tirhut")
        )
        try:
            yield district
        finally:
            district_remove(SLUG)


class HeldAppend(threading.Thread):
    """Appends one event in its own transaction and keeps the transaction open until released."""

    def __init__(self, schema: str, summary: str):
        super().__init__()
        self.schema, self.summary = schema, summary
        self.appended, self.release, self.done = threading.Event(), threading.Event(), threading.Event()
        self.event_id: int | None = None
        self.errors: list[BaseException] = []

    def run(self) -> None:
        try:
            with district_context(self.schema), transaction.atomic():
                self.event_id = audit_append(actor=None, action="test.held", summary=self.summary).pk
                self.appended.set()
                self.release.wait(WAIT)
            self.done.set()
        except BaseException as error:  # noqa: BLE001 (reported by the test)
            self.errors.append(error)
            self.appended.set()
        finally:
            connection.close()


def _sealed(schema: str, *ids: int) -> dict[int, int | None]:
    with district_context(schema):
        return dict(AuditEvent.objects.filter(id__in=ids).values_list("id", "seq"))


def test_an_append_does_not_wait_for_another_open_transaction(committed_district, django_db_blocker):
    schema = committed_district.schema_name
    with django_db_blocker.unblock():
        held = HeldAppend(schema, "held open")
        held.start()
        assert held.appended.wait(WAIT) and held.errors == []
        other = HeldAppend(schema, "committed while the first is open")
        other.start()
        other.release.set()
        # With a district-wide lock this append would wait for the first transaction to end.
        assert other.done.wait(WAIT) and other.errors == []
        assert not held.done.is_set()
        held.release.set()
        held.join()
        other.join()
        assert held.errors == []
        with district_context(schema):
            audit_seal()
            assert audit_verify().ok
        assert None not in _sealed(schema, held.event_id, other.event_id).values()


def test_a_lower_id_that_commits_last_is_sealed_after_and_never_skipped(
    committed_district, django_db_blocker
):
    schema = committed_district.schema_name
    with django_db_blocker.unblock():
        low = HeldAppend(schema, "lower id, commits last")
        low.start()
        assert low.appended.wait(WAIT) and low.errors == []
        high = HeldAppend(schema, "higher id, commits first")
        high.start()
        high.release.set()
        high.join()
        assert high.errors == [] and high.event_id > low.event_id

        with district_context(schema):
            assert audit_seal() >= 1  # seals the higher id; the lower one is not visible yet
        assert _sealed(schema, low.event_id, high.event_id).get(low.event_id) is None  # not even visible

        low.release.set()
        low.join()
        assert low.errors == []
        with district_context(schema):
            assert audit_unsealed()[0] == 1
            assert audit_seal() == 1
            result = audit_verify()
            sealed = AuditEvent.objects.filter(seq__isnull=False).count()
        seqs = _sealed(schema, low.event_id, high.event_id)
        assert seqs[low.event_id] == seqs[high.event_id] + 1  # chained in the order they were sealed
        assert result.ok and result.unsealed == 0 and result.count == sealed
        assert result.head_id == low.event_id


CRASH = """
import os, signal
import django
django.setup()
from django.db import transaction
from core.base.audit import audit_append
from tenants.context import district_context
with district_context({schema!r}), transaction.atomic():
    audit_append(actor=None, action="test.crash", summary="committed, then the process was killed")
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_process_killed_between_append_and_seal_loses_nothing(committed_district, django_db_blocker):
    schema = committed_district.schema_name
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_test_db(),
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
    }
    with django_db_blocker.unblock():
        with district_context(schema):
            audit_seal()
        child = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(CRASH.format(schema=schema))],
            env=env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            timeout=120,
        )
        assert child.returncode == -signal.SIGKILL, child.stderr.decode()
        with district_context(schema):
            crashed = AuditEvent.objects.get(action="test.crash")
            assert crashed.seq is None
            before = audit_verify()
            assert before.ok and before.unsealed == 1 and before.unsealed_since == crashed.at
            assert audit_seal() == 1
            after = audit_verify()
        assert after.ok and after.unsealed == 0
        assert (after.head_id, after.count) == (crashed.pk, before.count + 1)


# --- Only the seal may update a row -------------------------------------------------------------


def _sql(statement: str, params=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _refused(statement: str, params=None) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _sql(statement, params)


@pytest.mark.django_db
def test_an_unsealed_event_cannot_be_edited_deleted_or_sealed_with_other_content(world):
    """What holds before the seal: the triggers. Its content can be changed by no role that leaves
    them on (an owner who disables them could, unseen until the seal, and verify_audit reports
    the disabled triggers); once sealed, any change is found by the chain."""
    with district_context("vaishali"):
        with transaction.atomic():
            event = audit_append(actor=None, action="test.unsealed", summary="as written")
        seal = "seq = 999999, prev_hash = repeat('a', 64), hash = repeat('b', 64)"
        _refused("UPDATE core_auditevent SET summary = 'edited' WHERE id = %s", [event.pk])
        _refused(f"UPDATE core_auditevent SET {seal}, summary = 'edited' WHERE id = %s", [event.pk])
        _refused("UPDATE core_auditevent SET seq = 999999 WHERE id = %s", [event.pk])  # a partial seal
        _refused("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
        assert audit_seal() >= 1
        sealed = AuditEvent.objects.get(pk=event.pk)
        assert sealed.summary == "as written" and sealed.seq is not None
        _refused(f"UPDATE core_auditevent SET {seal} WHERE id = %s", [event.pk])  # no second seal
        _refused(
            "UPDATE core_auditevent SET seq = NULL, prev_hash = NULL, hash = NULL WHERE id = %s", [event.pk]
        )
        assert audit_verify().ok


@pytest.mark.django_db
def test_verify_reports_the_unsealed_window_and_covers_it_once_sealed(world):
    with district_context("vaishali"):
        audit_seal()
        sealed_before = audit_verify().count
        with transaction.atomic():
            first = audit_append(actor=None, action="test.window", summary="one")
            audit_append(actor=None, action="test.window", summary="two")
        result = audit_verify()
        assert result.ok and (result.count, result.unsealed) == (sealed_before, 2)
        assert result.unsealed_since == first.at
        assert audit_seal() == 2
        result = audit_verify()
    assert result.ok and (result.count, result.unsealed) == (sealed_before + 2, 0)


# --- The sealer task ----------------------------------------------------------------------------


def _append_unsealed(schema: str, summary: str) -> int:
    with district_context(schema), transaction.atomic():
        return audit_append(actor=None, action="test.sealer", summary=summary).pk


@pytest.mark.django_db
def test_sealing_one_district_leaves_another_alone(world):
    theirs = _append_unsealed("muzaffarpur", "muzaffarpur's")
    ours = _append_unsealed("vaishali", "vaishali's")
    with district_context("vaishali"):
        audit_seal()
    assert _sealed("vaishali", ours)[ours] is not None
    assert _sealed("muzaffarpur", theirs)[theirs] is None


@pytest.mark.django_db
def test_a_sealer_pass_seals_every_district_and_a_broken_one_fails_alone(world):
    District.objects.create(slug="ghost", schema_name="ghost", name="Ghost", status="live")
    District.objects.create(slug="planned-x", schema_name="planned_x", name="Planned", status="planned")
    ids = {schema: _append_unsealed(schema, "for the pass") for schema in ("vaishali", "muzaffarpur")}

    done = audit_seal_all()

    assert done["vaishali"] >= 1 and done["muzaffarpur"] >= 1
    assert "ghost" not in done and "planned_x" not in done
    for schema, pk in ids.items():
        assert _sealed(schema, pk)[pk] is not None
        with district_context(schema):
            assert audit_verify().unsealed == 0
    assert connection.schema_name == "public"


@pytest.mark.django_db
def test_the_sealer_loop_passes_again_after_each_pause_until_its_time_is_up(world):
    pauses: list[float] = []

    def sleep(seconds: float) -> None:  # during each pause an officer's event arrives
        time.sleep(seconds)
        pauses.append(seconds)
        _append_unsealed("vaishali", f"arrived during pause {len(pauses)}")

    audit_seal_all()
    sealed = audit_seal_loop(seconds=0.6, pause=0.1, sleep=sleep)
    # A pass follows every pause, so each event that arrived during one is sealed before the end.
    assert pauses and sealed == len(pauses)
    with district_context("vaishali"):
        assert audit_verify().unsealed == 0
