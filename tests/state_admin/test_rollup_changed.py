"""The periodic rollup pass refreshes only the districts where something changed since the last."""

import datetime

import pytest
from django.db import connection

from core.models import ActiveDay, Office
from core.org import services as core_services
from state_admin.models import DistrictRollup
from state_admin.services.rollup import rollup_changes_seen, rollup_refresh
from tenants.citus import citus_active
from tenants.context import district_context

pytestmark = pytest.mark.django_db


def _both(world):
    return [world.vaishali, world.muzaffarpur]


def test_a_pass_where_nothing_changed_refreshes_no_district(world):
    assert rollup_refresh(districts=_both(world)) == 2
    assert rollup_refresh(districts=_both(world), changed_only=True) == 0


def test_an_audited_change_refreshes_that_district_alone(world):
    rollup_refresh(districts=_both(world))
    before = DistrictRollup.objects.get(district=world.vaishali).offices_total
    with district_context(world.vaishali.schema_name):
        core_services.office_create(code="thana-rollup", name="Thana Rollup", kind=Office.Kind.OTHER)
    assert rollup_refresh(districts=_both(world), changed_only=True) == 1
    assert DistrictRollup.objects.get(district=world.vaishali).offices_total == before + 1


def test_an_officers_first_visit_of_a_day_refreshes_that_district(world):
    rollup_refresh(districts=_both(world))
    with district_context(world.muzaffarpur.schema_name):
        ActiveDay.objects.create(person=world.staff, day=datetime.date(2020, 1, 6))
    seen = DistrictRollup.objects.get(district=world.muzaffarpur).refreshed_at
    assert rollup_refresh(districts=_both(world), changed_only=True) == 1
    assert DistrictRollup.objects.get(district=world.muzaffarpur).refreshed_at > seen


def test_the_first_pass_of_a_day_refreshes_every_district(world):
    rollup_refresh(districts=_both(world))
    DistrictRollup.objects.update(refreshed_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    assert rollup_refresh(districts=_both(world), changed_only=True) == 2


def test_a_district_without_a_rollup_row_is_refreshed(world):
    rollup_refresh(districts=_both(world))
    DistrictRollup.objects.filter(district=world.vaishali).delete()
    assert rollup_refresh(districts=_both(world), changed_only=True) == 1


def test_the_marks_are_the_statistics_counts_and_the_newest_ids_where_counts_are_off(world):
    names = [world.vaishali.schema_name, world.muzaffarpur.schema_name]
    counted = rollup_changes_seen(names)
    # On Citus the counts are on the workers: the marks are the newest ids there.
    expected = {"audit", "day"} if citus_active(connection) else {"audit", "day", "reset"}
    assert set(counted) == set(names) and set(counted[names[0]]) == expected
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL track_counts = off")
    newest = rollup_changes_seen(names)
    assert set(newest[names[0]]) == {"audit", "day"}
    # The periodic pass still finds the change by the newest ids.
    rollup_refresh(districts=_both(world))
    with district_context(world.vaishali.schema_name):
        ActiveDay.objects.create(person=world.staff, day=datetime.date(2020, 1, 13))
    assert rollup_refresh(districts=_both(world), changed_only=True) == 1
