"""core.base.districts with ``concurrency``: the one loop over districts runs work in several
threads at once, each on a connection of its own (the state rollup reads 4 districts at a time,
issue 16), with the same order, results and failure logging as one at a time. These tests run
outside a test's transaction (inside one the loop stays on the caller's connection, the only one
that sees what it has not committed) and remove the district row they make."""

import logging
import threading

import pytest
from django.db import connection, transaction

from core.base.districts import WITH_SCHEMA, districts_visit, each_district
from core.models import Office
from tenants.models import District


@pytest.fixture
def ghost(world, django_db_blocker):
    """A live district whose schema does not exist (committed; removed afterwards)."""
    with django_db_blocker.unblock():
        made = District.objects.create(
            slug="ghost-threads", schema_name="ghost_threads", name="Ghost", status="live"
        )
        yield made
        connection.set_schema_to_public()
        made.delete()


def _seen_by(work, log: list):
    def noted(*args):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        log.append((threading.current_thread().name, pid))
        return work(*args)

    return noted


def test_threads_each_on_a_connection_of_their_own_give_what_one_thread_gives(ghost, caplog):
    def count():
        return connection.schema_name, Office.objects.count()

    alone = each_district(count, failure="Counting failed", statuses=WITH_SCHEMA)
    log: list = []
    with caplog.at_level(logging.ERROR, logger="core.base.districts"):
        together = each_district(
            _seen_by(count, log), failure="Counting failed", statuses=WITH_SCHEMA, concurrency=3
        )
    assert list(together.items()) == list(alone.items()) and len(together) >= 2
    assert together.failed == alone.failed == ["ghost_threads"]
    assert "Counting failed in district ghost_threads" in caplog.text
    threads = {name for name, _pid in log}
    assert len(threads) > 1 and threading.current_thread().name not in threads
    pids = {name: {pid for seen, pid in log if seen == name} for name in threads}
    assert all(len(used) == 1 for used in pids.values())  # one connection a thread, all along
    assert connection.schema_name == "public" and District.objects.filter(pk=ghost.pk).exists()


def test_districts_visit_with_threads_keeps_order_keys_and_failed_as(ghost):
    done = districts_visit(
        lambda d: 1 / 0 if d.slug == ghost.slug else d.name,
        failure="Visiting failed",
        statuses=WITH_SCHEMA,
        order_by="slug",
        key="slug",
        failed_as="error",
        concurrency=4,
    )
    expected = list(
        District.objects.filter(status__in=WITH_SCHEMA).order_by("slug").values_list("slug", flat=True)
    )
    assert list(done) == expected and done[ghost.slug] == "error" and done.failed == [ghost.slug]


def test_inside_a_transaction_the_work_stays_on_the_callers_connection(ghost):
    log: list = []
    with transaction.atomic():
        done = each_district(_seen_by(lambda: 1, log), failure="x", statuses=WITH_SCHEMA, concurrency=4)
    assert {name for name, _pid in log} == {threading.current_thread().name}
    assert done.failed == [] and len(done) >= 3 and "ghost_threads" in done
