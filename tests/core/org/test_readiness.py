import datetime

import pytest
from django.core.exceptions import ValidationError

from core.models import Office, ReadinessItem
from core.org import services
from core.org.selectors.readiness import office_is_ready, office_readiness, office_readiness_gaps
from core.org.services.readiness import readiness_confirm
from tenants.context import district_context

pytestmark = pytest.mark.django_db

ALL_ITEMS = list(ReadinessItem.Item.values)


def _office(code: str = "t-ready-office") -> Office:
    return services.office_create(code=code, name=f"Office {code}", kind=Office.Kind.SDPO)


def _make_ready(office: Office, person) -> None:
    for item in ALL_ITEMS:
        readiness_confirm(office=office, item=item, person=person)


def test_an_office_with_no_rows_lacks_every_item(world):
    with district_context(world.vaishali.schema_name):
        office = _office()
        readiness = office_readiness(office)
        assert list(readiness) == ALL_ITEMS
        assert all(not entry["done"] and entry["confirmed_by"] is None for entry in readiness.values())
        assert office_readiness_gaps(office) == ALL_ITEMS
        assert not office_is_ready(office)


def test_confirming_records_who_and_when_and_closes_the_gap(world):
    with district_context(world.vaishali.schema_name):
        office = _office()
        readiness_confirm(
            office=office, item="internet", person=world.staff, details={"mbps": 20}, note="BSNL line"
        )
        entry = office_readiness(office)["internet"]
        assert entry["done"] and entry["confirmed_by"] == world.staff and entry["confirmed_at"] is not None
        assert entry["details"] == {"mbps": 20}
        assert "internet" not in office_readiness_gaps(office)
        _make_ready(office, world.staff)
        assert office_is_ready(office)
        # Withdrawing an item keeps the details recorded and reopens the gap.
        readiness_confirm(office=office, item="internet", person=world.staff, done=False)
        assert office_readiness_gaps(office) == ["internet"]
        assert office_readiness(office)["internet"]["details"] == {"mbps": 20}
        assert ReadinessItem.objects.filter(office=office).count() == len(ALL_ITEMS)


def test_unknown_item_is_refused(world):
    with district_context(world.vaishali.schema_name):
        office = _office()
        with pytest.raises(ValidationError):
            readiness_confirm(office=office, item="coffee", person=world.staff)
        assert not ReadinessItem.objects.filter(office=office).exists()


def test_readiness_is_per_district(world):
    with district_context(world.vaishali.schema_name):
        _make_ready(_office("t-ready-shared"), world.staff)
    with district_context(world.muzaffarpur.schema_name):
        assert office_readiness_gaps(_office("t-ready-shared")) == ALL_ITEMS


def test_go_live_refuses_an_office_that_is_not_ready_and_names_what_it_lacks(world):
    with district_context(world.vaishali.schema_name):
        office = _office()
        readiness_confirm(office=office, item="computers", person=world.staff)
        with pytest.raises(ValidationError) as caught:
            services.office_go_live(actor=None, office=office)
        message = " ".join(caught.value.messages)
        assert "Internet tested" in message and "Power backup" in message and "Staff trained" in message
        assert "Computers installed" not in message
        office.refresh_from_db()
        assert office.status == Office.Status.PLANNED and office.went_live_on is None


def test_go_live_of_a_ready_office_sets_status_and_date_once(world):
    with district_context(world.vaishali.schema_name):
        office = _office()
        _make_ready(office, world.staff)
        day = datetime.date(2025, 3, 20)
        services.office_go_live(actor=None, office=office, on=day)
        office.refresh_from_db()
        assert office.status == Office.Status.LIVE and office.went_live_on == day
        assert office.go_live_override == ""
        again = services.office_go_live(actor=None, office=office, on=datetime.date(2025, 4, 1))
        assert again.went_live_on == day


def test_override_with_a_reason_goes_live_and_keeps_the_reason(world):
    with district_context(world.vaishali.schema_name):
        office = _office()
        reason = "Power backup arrives next week; SP ordered the start"
        services.office_go_live(actor=None, office=office, override_reason=reason)
        office.refresh_from_db()
        assert office.status == Office.Status.LIVE and office.go_live_override == reason


@pytest.mark.parametrize("reason", ["   ", "urgent", "SP said"])
def test_blank_or_one_word_override_is_refused(world, reason):
    with district_context(world.vaishali.schema_name):
        office = _office()
        with pytest.raises(ValidationError):
            services.office_go_live(actor=None, office=office, override_reason=reason)
        office.refresh_from_db()
        assert office.status == Office.Status.PLANNED and office.go_live_override == ""


def test_gaps_of_many_offices_come_in_one_query_and_agree_with_each_office(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.org.selectors.readiness import offices_readiness_gaps

    with district_context(world.vaishali.schema_name):
        ready, bare, half = _office("t-gaps-ready"), _office("t-gaps-bare"), _office("t-gaps-half")
        _make_ready(ready, world.staff)
        readiness_confirm(office=half, item="computers", person=world.staff)
        readiness_confirm(office=half, item="internet", person=world.staff)
        with CaptureQueriesContext(connection) as queries:
            gaps = offices_readiness_gaps([ready, bare, half])
        assert len(queries.captured_queries) == 1
        assert gaps == {office.pk: office_readiness_gaps(office) for office in (ready, bare, half)}
        assert gaps[ready.pk] == [] and gaps[bare.pk] == ALL_ITEMS
        assert "computers" not in gaps[half.pk] and "scanner" in gaps[half.pk]
