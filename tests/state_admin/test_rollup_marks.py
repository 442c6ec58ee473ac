"""The periodic rollup's change marks are PostgreSQL's statistics counts: a change committed by
another connection is refreshed by the next pass once its counts are published, and a reset of
the counts refreshes every district. These tests commit (statistics are read outside a test's
transaction, which would keep the first values it read) and remove what they made."""

import datetime
import threading
import time

import pytest
from django.db import connection

from core.models import ActiveDay
from state_admin.models import AdoptionWeek, DistrictRollup
from state_admin.services.rollup import rollup_changes_seen, rollup_refresh
from tenants.citus import citus_active
from tenants.context import district_context


def _both(world):
    return [world.vaishali, world.muzaffarpur]


@pytest.fixture
def committed(world, django_db_blocker):
    """Changes committed by other connections, as web workers make them; removed afterwards."""
    with django_db_blocker.unblock():
        yield
        connection.set_schema_to_public()
        with district_context(world.vaishali.schema_name):
            ActiveDay.objects.filter(day=COMMITTED_DAY).delete()
        DistrictRollup.objects.filter(district__in=_both(world)).delete()
        AdoptionWeek.objects.filter(district__in=_both(world)).delete()


COMMITTED_DAY = datetime.date(2020, 2, 3)


def _in_another_connection(work) -> None:
    def run():
        try:
            work()
        finally:
            connection.close()  # the backend publishes its counts when it ends

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def test_a_change_committed_by_another_connection_is_refreshed_by_the_next_pass(committed, world):
    rollup_refresh(districts=_both(world))
    assert rollup_refresh(districts=_both(world), changed_only=True) == 0

    def visit():
        with district_context(world.vaishali.schema_name):
            ActiveDay.objects.create(person=world.staff, day=COMMITTED_DAY)

    _in_another_connection(visit)
    refreshed = 0
    deadline = time.monotonic() + 30
    while not refreshed and time.monotonic() < deadline:  # counts are published within 10 s idle
        refreshed = rollup_refresh(districts=_both(world), changed_only=True)
        time.sleep(0.2)
    assert refreshed == 1
    row = DistrictRollup.objects.get(district=world.vaishali)
    assert row.changes_seen == rollup_changes_seen([world.vaishali.schema_name])[world.vaishali.schema_name]
    assert rollup_refresh(districts=_both(world), changed_only=True) == 0


def test_a_reset_of_the_statistics_refreshes_every_district(committed, world):
    rollup_refresh(districts=_both(world))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_reset()")
    # On Citus the marks are the newest ids, which a reset of the counts does not touch.
    assert rollup_refresh(districts=_both(world), changed_only=True) == (0 if citus_active(connection) else 2)
