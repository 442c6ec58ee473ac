"""ActivityMiddleware: who used a district on which day, recorded once per day per session."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.base.middleware import SESSION_ACTIVE_DAY_KEY
from core.models import ActiveDay
from tenants.context import district_context
from tests.helpers import HostClient

pytestmark = pytest.mark.django_db


def _days(district, person):
    with district_context(district.schema_name):
        return list(ActiveDay.objects.filter(person=person).values_list("day", flat=True))


def test_officer_is_recorded_once_per_day_without_later_queries(world):
    client = HostClient("vaishali")
    assert client.sign_in("sdpo.mahua").status_code == 302
    assert client.get("/").status_code == 200
    assert _days(world.vaishali, world.vaishali_officer) == [timezone.localdate()]
    assert client.session[SESSION_ACTIVE_DAY_KEY] == timezone.localdate().isoformat()

    with CaptureQueriesContext(connection) as later:
        assert client.get("/").status_code == 200
    assert not [q for q in later.captured_queries if "core_activeday" in q["sql"]]
    assert _days(world.vaishali, world.vaishali_officer) == [timezone.localdate()]


def test_a_second_session_the_same_day_adds_no_row(world):
    for _ in range(2):
        client = HostClient("vaishali")
        client.sign_in("sdpo.mahua")
        assert client.get("/").status_code == 200
    assert len(_days(world.vaishali, world.vaishali_officer)) == 1


def test_a_new_day_in_the_same_session_is_recorded(world):
    client = HostClient("vaishali")
    client.sign_in("sdpo.mahua")
    session = client.session
    session[SESSION_ACTIVE_DAY_KEY] = "2000-01-01"  # the session last counted on an earlier day
    session.save()
    with district_context(world.vaishali.schema_name):
        ActiveDay.objects.filter(person=world.vaishali_officer).delete()
    client.get("/")
    assert _days(world.vaishali, world.vaishali_officer) == [timezone.localdate()]


def test_activity_stays_in_its_district(world):
    client = HostClient("vaishali")
    client.sign_in("sdpo.mahua")
    client.get("/")
    assert _days(world.muzaffarpur, world.vaishali_officer) == []
    other = HostClient("muzaffarpur")
    other.sign_in("sdpo.east")
    other.get("/")
    assert _days(world.muzaffarpur, world.muzaffarpur_officer) == [timezone.localdate()]
    assert _days(world.vaishali, world.muzaffarpur_officer) == []


def test_nothing_on_the_root_domain_for_anonymous_or_for_the_refused(world):
    def total():
        return sum(len(_days(d, p)) for d in (world.vaishali, world.muzaffarpur) for p in _people(world))

    before = total()
    staff = HostClient(None)
    staff.sign_in("state.staff")
    assert staff.get("/").status_code == 200
    assert SESSION_ACTIVE_DAY_KEY not in staff.session
    assert HostClient("vaishali").get("/").status_code == 302  # anonymous
    refused = HostClient("vaishali")
    refused.sign_in("sdpo.east")  # posted in Muzaffarpur, not here
    refused.get("/")
    assert total() == before


def _people(world):
    return (world.staff, world.vaishali_officer, world.muzaffarpur_officer, world.unposted)


def test_an_archived_district_records_no_activity(world):
    # Archived is read-only: officers may still sign in and read, and that writes no record.
    world.vaishali.status = world.vaishali.Status.ARCHIVED
    world.vaishali.save(update_fields=["status"])
    try:
        client = HostClient("vaishali")
        client.sign_in("sdpo.mahua")
        assert client.get("/").status_code == 200
        assert _days(world.vaishali, world.vaishali_officer) == []
    finally:
        world.vaishali.status = world.vaishali.Status.LIVE
        world.vaishali.save(update_fields=["status"])
