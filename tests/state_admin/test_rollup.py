"""The rollup: each district's figures, read under its schema, copied into the public tables."""

import datetime
import logging

import pytest
from django.db import connection
from django.utils import timezone

from core.models import ActiveDay, Office, Post, ReadinessItem
from core.org import services as core_services
from core.org.selectors import adoption
from state_admin.models import AdoptionWeek, DistrictRollup
from state_admin.services.rollup import ROLLUP_WEEKS, rollup_refresh, rollup_refresh_one
from tenants.context import district_context
from tenants.models import District
from tenants.services import person_get_or_create
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db

ITEMS = ReadinessItem.Item.values


def _person(login_id):
    person, _ = person_get_or_create(
        login_id=login_id, full_name=login_id, email=f"{login_id}@example.org", password=PASSWORD
    )
    return person


def _baseline(district):
    with district_context(district.schema_name):
        return adoption.district_figures(weeks=ROLLUP_WEEKS, today=timezone.localdate())


def _office(code, *, phase, status, kind=Office.Kind.THANA):
    return core_services.office_create(code=code, name=code.title(), kind=kind, phase=phase, status=status)


def _weeks(district):
    return {row.week: row for row in AdoptionWeek.objects.filter(district=district)}


def _this_monday():
    return adoption.week_start(timezone.localdate())


def test_rollup_gives_each_districts_figures(world):
    vaishali, muzaffarpur = world.vaishali, world.muzaffarpur
    before = {d.slug: _baseline(d) for d in (vaishali, muzaffarpur)}
    a, b, c, gone = (_person(f"rollup.{n}") for n in ("a", "b", "c", "gone"))
    monday = _this_monday()
    last_week, long_ago = (
        monday - datetime.timedelta(weeks=1),
        monday - datetime.timedelta(weeks=ROLLUP_WEEKS),
    )

    with district_context(vaishali.schema_name):
        live = _office("t-lalganj", phase=1, status=Office.Status.LIVE, kind=Office.Kind.SDPO)
        circle = _office("t-circle", phase=2, status=Office.Status.PREPARING, kind=Office.Kind.CIRCLE)
        thana_a = _office("t-thana-a", phase=3, status=Office.Status.PLANNED)
        _office("t-thana-b", phase=3, status=Office.Status.PLANNED)  # no checklist rows: lacks all
        for item in ITEMS:
            ReadinessItem.objects.create(office=circle, item=item, done=item != "internet")
        ReadinessItem.objects.create(office=thana_a, item="computers", done=True)
        ReadinessItem.objects.create(office=thana_a, item="scanner", done=False)
        ReadinessItem.objects.create(office=live, item="computers", done=False)  # live: not a gap
        post1 = core_services.post_create(office=live, code="t-sdpo", title="SDPO", kind=Post.Kind.SDPO)
        post2 = core_services.post_create(office=live, code="t-clerk", title="Clerk", kind=Post.Kind.CLERK)
        core_services.posting_start(person=a, post=post1)
        core_services.posting_start(person=a, post=post2)  # one person, two posts: counted once
        post3 = core_services.post_create(
            office=live, code="t-clerk-2", title="Clerk 2", kind=Post.Kind.CLERK
        )
        post4 = core_services.post_create(office=live, code="t-asi", title="ASI", kind=Post.Kind.ASI)
        core_services.posting_start(person=b, post=post3)  # a post has one holder at a time
        ended = core_services.posting_start(
            person=gone, post=post4, starts_on=monday - datetime.timedelta(30)
        )
        core_services.posting_end(posting=ended, ends_on=monday - datetime.timedelta(1))
        ActiveDay.objects.bulk_create(
            [
                ActiveDay(person=a, day=monday),
                ActiveDay(person=b, day=monday),
                ActiveDay(person=a, day=last_week),
                ActiveDay(person=a, day=last_week + datetime.timedelta(days=3)),  # same week again
                ActiveDay(person=b, day=long_ago),
            ]
        )
    with district_context(muzaffarpur.schema_name):
        ActiveDay.objects.create(person=c, day=monday)

    assert rollup_refresh(districts=[vaishali, muzaffarpur]) == 2

    v, old = DistrictRollup.objects.get(district=vaishali), before["vaishali"]
    assert v.offices_total == old["offices_total"] + 4
    assert v.offices_live == old["offices_live"] + 1

    def phase(figures, number, status):
        return figures["offices_by_phase"].get(str(number), {}).get(status, 0)

    assert phase(v.__dict__, 1, "live") == phase(old, 1, "live") + 1
    assert phase(v.__dict__, 2, "preparing") == phase(old, 2, "preparing") + 1
    assert phase(v.__dict__, 3, "planned") == phase(old, 3, "planned") + 2
    expected_gaps = {"computers": 1, "scanner": 2, "internet": 3, "power": 2, "training": 2, "migration": 2}
    assert {item: v.readiness_gaps[item] - old["readiness_gaps"][item] for item in ITEMS} == expected_gaps
    assert v.offices_not_ready == old["offices_not_ready"] + 3
    assert v.officers_posted == old["officers_posted"] + 2

    old_weeks = {row["week"]: row for row in old["weeks"]}
    weeks = _weeks(vaishali)
    assert len([w for w in weeks if w > monday - datetime.timedelta(weeks=ROLLUP_WEEKS)]) == ROLLUP_WEEKS
    assert weeks[monday].active_officers == old_weeks[monday]["active_officers"] + 2
    assert weeks[last_week].active_officers == old_weeks[last_week]["active_officers"] + 1
    assert long_ago not in weeks  # outside the 12 weeks

    # Vaishali's activity never counts for Muzaffarpur, and the other way round.
    m, m_old = _weeks(muzaffarpur), {row["week"]: row for row in before["muzaffarpur"]["weeks"]}
    assert m[monday].active_officers == m_old[monday]["active_officers"] + 1
    assert m[last_week].active_officers == m_old[last_week]["active_officers"]
    m_rollup = DistrictRollup.objects.get(district=muzaffarpur)
    assert m_rollup.offices_total == before["muzaffarpur"]["offices_total"]
    assert m_rollup.officers_posted == before["muzaffarpur"]["officers_posted"]


def test_current_phase_is_the_lowest_not_yet_live(world):
    district = world.muzaffarpur
    with district_context(district.schema_name):
        Office.objects.update(status=Office.Status.LIVE)
        top = max(Office.objects.values_list("phase", flat=True))
        two = _office("t-circle", phase=top + 1, status=Office.Status.PREPARING, kind=Office.Kind.CIRCLE)
        three = _office("t-thana", phase=top + 2, status=Office.Status.PLANNED)
    assert rollup_refresh_one(district).current_phase == top + 1
    with district_context(district.schema_name):
        Office.objects.filter(pk=two.pk).update(status=Office.Status.LIVE)
    assert rollup_refresh_one(district).current_phase == top + 2
    with district_context(district.schema_name):
        Office.objects.filter(pk=three.pk).update(status=Office.Status.LIVE)
    rollup = rollup_refresh_one(district)
    assert rollup.current_phase == top + 2 and rollup.offices_live == rollup.offices_total


def test_dak_files_documents_are_zero_until_counted_then_summed(world):
    district, monday = world.vaishali, _this_monday()
    rollup_refresh_one(district)
    row = AdoptionWeek.objects.get(district=district, week=monday)
    assert (row.dak_diarised, row.files_moved, row.documents_uploaded) == (0, 0, 0)
    assert adoption.adoption_series_counted("dak_diarised")  # the e-File registers its counter

    def counter(first, end):
        assert connection.schema_name == district.schema_name  # counted inside the district
        return {monday: 7, first - datetime.timedelta(weeks=1): 99}  # a week outside is ignored

    adoption.adoption_counter_register("dak_diarised", counter)
    try:
        rollup_refresh_one(district)
    finally:
        adoption.adoption_counter_unregister("dak_diarised", counter)
    row.refresh_from_db()
    assert row.dak_diarised == 7 and row.files_moved == 0
    with pytest.raises(ValueError):
        adoption.adoption_counter_register("cases", counter)


def test_missing_or_broken_schema_is_skipped_and_others_refresh(world, caplog):
    ghost = District.objects.create(slug="ghost", name="Ghost", schema_name="ghost", status="live")
    broken = District.objects.create(slug="broken", name="Broken", schema_name="broken", status="suspended")
    planned = District.objects.create(slug="later", name="Later", schema_name="later", status="planned")
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "broken"')  # a schema without the district's tables
    expected = District.objects.filter(status__in=["live", "suspended", "archived"]).count() - 2

    with caplog.at_level(logging.ERROR, logger="state_admin.services.rollup"):
        assert rollup_refresh() == expected

    assert "ghost" in caplog.text and "broken" in caplog.text
    refreshed = set(DistrictRollup.objects.values_list("district__slug", flat=True))
    assert {"vaishali", "muzaffarpur"} <= refreshed
    assert not refreshed & {ghost.slug, broken.slug, planned.slug}
    assert not AdoptionWeek.objects.filter(district__in=[ghost, broken, planned]).exists()
    assert connection.schema_name == "public"


def test_refresh_again_updates_rows_in_place(world):
    district = world.vaishali
    first = rollup_refresh_one(district)
    count = AdoptionWeek.objects.filter(district=district).count()
    second = rollup_refresh_one(district)
    assert second.refreshed_at >= first.refreshed_at
    assert AdoptionWeek.objects.filter(district=district).count() == count == ROLLUP_WEEKS
    assert DistrictRollup.objects.filter(district=district).count() == 1


def test_periodic_task_refreshes_every_district(world):
    from state_admin.tasks.rollup import rollup_refresh_task

    assert rollup_refresh_task.call_local() >= 2
    assert DistrictRollup.objects.filter(district__in=[world.vaishali, world.muzaffarpur]).count() == 2
