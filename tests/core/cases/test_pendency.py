"""The pendency report's selectors: the age buckets' boundaries, the counts per thana, status and
bucket on an as-on date, the cases without a recent progress report (with and without reports,
on either side of N days), who sees which cases, the queries staying few, and the audit event."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.base.access import viewer_for
from core.cases.selectors.pendency import (
    AGE_BUCKETS,
    PendencyFilters,
    age_bucket,
    pendency_stale_list,
    pendency_table,
)
from core.cases.services.pendency import pendency_view_record
from core.cases.services.progress import case_progress_add
from core.cases.services.register import case_register, case_update
from core.models import AuditEvent, Case
from tenants.context import district_context
from tests.core.cases.casework import second_thana

TODAY = timezone.localdate()
_numbers = itertools.count(1)


def days_ago(days: int, *, since: datetime.date = TODAY) -> datetime.date:
    return since - datetime.timedelta(days=days)


def dated_case(ef, age: int, *, thana=None, status: str = "", io: str = "si", key: str = "sp") -> Case:
    """A case registered ``age`` days before today (its year that date's year), by the SP."""
    registered_on = days_ago(age)
    case = case_register(
        actor=ef.actor(key),
        thana=thana or ef.offices["ef-thana-mahua"],
        year=registered_on.year,
        fir_number=next(_numbers),
        registered_on=registered_on,
        sections="BNS 303(2)",
        io_post=ef.posts[io] if io else None,
    )
    if status:
        case = case_update(
            actor=ef.actor("sp"), case=case, status=status, io_post=case.io_post, sections="BNS 303(2)"
        )
    return case


def report(ef, case, age: int, key: str = "si"):
    return case_progress_add(
        actor=ef.actor(key), case=case, reported_on=days_ago(age), done="Witnesses examined."
    )


def viewer(ef, key: str):
    return viewer_for(ef.people[key])


def counts_of(table) -> dict:
    """{(thana name, status): [count per bucket]} and each thana's total row as (name, "total")."""
    found = {}
    for entry in table.thanas:
        for row in entry.rows:
            found[(entry.thana.name, row.status)] = row.counts
        found[(entry.thana.name, "total")] = entry.counts
    return found


@pytest.mark.parametrize(
    ("age", "bucket"),
    [
        (0, "under_60"),
        (59, "under_60"),
        (60, "60_90"),
        (89, "60_90"),
        (90, "90_180"),
        (179, "90_180"),
        (180, "180_365"),
        (364, "180_365"),
        (365, "over_year"),
        (5000, "over_year"),
    ],
)
def test_each_age_falls_in_the_bucket_whose_lower_bound_it_reached(age, bucket):
    assert age_bucket(age).key == bucket


def test_the_buckets_cover_every_age_once_and_a_negative_age_is_refused():
    assert [bucket.key for bucket in AGE_BUCKETS] == ["under_60", "60_90", "90_180", "180_365", "over_year"]
    for age in range(0, 800):
        assert sum(bucket.holds(age) for bucket in AGE_BUCKETS) == 1, age
    with pytest.raises(ValueError):
        age_bucket(-1)


def test_counts_per_thana_status_and_bucket_at_every_boundary(ef):
    with district_context("vaishali"):
        lalganj = second_thana(ef)
        for age in (0, 59, 60, 89, 90, 179, 180, 364, 365, 800):
            dated_case(ef, age)
        dated_case(ef, 60, status=Case.Status.INVESTIGATING)
        dated_case(ef, 365, status=Case.Status.INVESTIGATING)
        dated_case(ef, 100, status=Case.Status.CHARGE_SHEETED)
        dated_case(ef, 10, thana=lalganj, io="")
        dated_case(ef, 200, thana=lalganj, io="", status=Case.Status.DISPOSED)
        pending = pendency_table(viewer(ef, "sp"), filters=PendencyFilters(as_on=TODAY))
        everything = pendency_table(
            viewer(ef, "sp"), filters=PendencyFilters(as_on=TODAY, status_choice="all")
        )
        charged = pendency_table(
            viewer(ef, "sp"), filters=PendencyFilters(as_on=TODAY, status_choice=Case.Status.CHARGE_SHEETED)
        )
    assert counts_of(pending) == {
        ("Mahua Thana", "registered"): [2, 2, 2, 2, 2],
        ("Mahua Thana", "investigating"): [0, 1, 0, 0, 1],
        ("Mahua Thana", "total"): [2, 3, 2, 2, 3],
        ("Lalganj Thana", "registered"): [1, 0, 0, 0, 0],
        ("Lalganj Thana", "total"): [1, 0, 0, 0, 0],
    }
    assert [entry.thana.name for entry in pending.thanas] == ["Lalganj Thana", "Mahua Thana"]
    assert pending.counts == [3, 3, 2, 2, 3] and pending.total == 13
    assert [entry.total for entry in pending.thanas] == [1, 12]
    found = counts_of(everything)
    assert found[("Mahua Thana", "charge_sheeted")] == [0, 0, 1, 0, 0]
    assert found[("Lalganj Thana", "disposed")] == [0, 0, 0, 1, 0]
    # Statuses in the register's order within a thana.
    assert [row.status for row in everything.thanas[1].rows] == [
        "registered",
        "investigating",
        "charge_sheeted",
    ]
    assert everything.total == 15
    assert counts_of(charged) == {
        ("Mahua Thana", "charge_sheeted"): [0, 0, 1, 0, 0],
        ("Mahua Thana", "total"): [0, 0, 1, 0, 0],
    }


def test_an_earlier_as_on_date_ages_cases_less_and_leaves_out_later_ones(ef):
    with district_context("vaishali"):
        for age in (0, 60, 90, 366):
            dated_case(ef, age)
        table = pendency_table(viewer(ef, "sp"), filters=PendencyFilters(as_on=days_ago(1)))
    # 60 → 59 (under 60), 90 → 89 (60–90), 366 → 365 (over a year); the case of today is not yet.
    assert table.counts == [1, 1, 0, 0, 1] and table.total == 3


def test_one_thana_only_when_asked(ef):
    with district_context("vaishali"):
        lalganj = second_thana(ef)
        dated_case(ef, 5)
        dated_case(ef, 5, thana=lalganj, io="")
        table = pendency_table(viewer(ef, "sp"), filters=PendencyFilters(as_on=TODAY, thana=lalganj))
    assert [entry.thana for entry in table.thanas] == [lalganj] and table.total == 1


def test_a_case_with_no_report_counts_from_registration_and_n_days_is_not_yet_stale(ef):
    with district_context("vaishali"):
        thirty_one = dated_case(ef, 31)
        dated_case(ef, 30)  # exactly 30 days: not more than 30
        dated_case(ef, 0)
        old_report = dated_case(ef, 100)
        report(ef, old_report, 50)
        report(ef, old_report, 31)
        fresh_report = dated_case(ef, 100)
        report(ef, fresh_report, 80)
        report(ef, fresh_report, 30)
        dated_case(ef, 200, status=Case.Status.CHARGE_SHEETED)  # not pending: never listed
        investigating = dated_case(ef, 45, status=Case.Status.INVESTIGATING)
        stale = pendency_stale_list(viewer(ef, "sp"), filters=PendencyFilters(as_on=TODAY, days=30))
        none_with_zero = pendency_stale_list(viewer(ef, "sp"), filters=PendencyFilters(as_on=TODAY, days=0))
        limited = pendency_stale_list(
            viewer(ef, "sp"), filters=PendencyFilters(as_on=TODAY, days=30), limit=2
        )
    rows = [(case.pk, case.days_since, case.last_report_on) for case in stale]
    # Longest without a report first; the two at 31 days in either order.
    assert rows[0] == (investigating.pk, 45, None)
    assert sorted(rows[1:]) == sorted([(thirty_one.pk, 31, None), (old_report.pk, 31, days_ago(31))])
    assert stale[0].since == days_ago(45)
    # With N = 0 the case registered today (0 days) is still not listed; all other pending ones are.
    assert len(none_with_zero) == 5 and all(case.days_since > 0 for case in none_with_zero)
    assert len(limited) == 2


def test_reports_after_the_as_on_date_do_not_count(ef):
    with district_context("vaishali"):
        case = dated_case(ef, 100)
        report(ef, case, 60)
        report(ef, case, 5)
        today = pendency_stale_list(viewer(ef, "sp"), filters=PendencyFilters(as_on=TODAY, days=30))
        earlier = pendency_stale_list(viewer(ef, "sp"), filters=PendencyFilters(as_on=days_ago(10), days=30))
    assert today == []
    assert [(row.pk, row.last_report_on, row.days_since) for row in earlier] == [(case.pk, days_ago(60), 50)]


def test_each_viewer_counts_only_the_cases_they_may_see(ef):
    with district_context("vaishali"):
        lalganj = second_thana(ef)
        mahua_case = dated_case(ef, 70)
        lalganj_case = dated_case(ef, 70, thana=lalganj, io="")
        everyone = {}
        for key in ("sp", "sdpo", "sho", "si", "mahnar", "clerk", "pio", "sdpoclerk"):
            filters = PendencyFilters(as_on=TODAY)
            table = pendency_table(viewer(ef, key), filters=filters)
            stale = pendency_stale_list(viewer(ef, key), filters=filters)
            everyone[key] = (
                {entry.thana.pk for entry in table.thanas},
                {case.pk for case in stale},
                table.total,
            )
    mahua, lalganj_id = ef.offices["ef-thana-mahua"].pk, lalganj.pk
    assert everyone["sp"] == ({mahua, lalganj_id}, {mahua_case.pk, lalganj_case.pk}, 2)
    for key in ("sdpo", "sho", "si"):
        assert everyone[key] == ({mahua}, {mahua_case.pk}, 1), key
    assert everyone["mahnar"] == ({lalganj_id}, {lalganj_case.pk}, 1)
    for key in ("clerk", "pio", "sdpoclerk"):
        assert everyone[key] == (set(), set(), 0), key


def test_a_thana_filter_cannot_widen_what_the_viewer_sees(ef):
    with district_context("vaishali"):
        dated_case(ef, 70)
        filters = PendencyFilters(as_on=TODAY, thana=ef.offices["ef-thana-mahua"])
        assert pendency_table(viewer(ef, "mahnar"), filters=filters).total == 0
        assert pendency_stale_list(viewer(ef, "mahnar"), filters=filters) == []


def test_the_report_takes_the_same_few_queries_however_many_cases(ef):
    def queries(filters) -> tuple[int, int]:
        sp = viewer(ef, "sp")
        with CaptureQueriesContext(connection) as table:
            pendency_table(sp, filters=filters)
        with CaptureQueriesContext(connection) as stale:
            shown = [
                (case.thana.name, case.io_post.title if case.io_post else "", case.label)
                for case in pendency_stale_list(sp, filters=filters)
            ]
        assert shown  # every row read, with its thana and IO, inside the count
        return len(table), len(stale)

    with district_context("vaishali"):
        lalganj = second_thana(ef)
        filters = PendencyFilters(as_on=TODAY)
        dated_case(ef, 100)
        few = queries(filters)
        for age in (1, 61, 91, 181, 400, 500):
            dated_case(ef, age)
            dated_case(ef, age, thana=lalganj, io="")
        report(ef, dated_case(ef, 120), 90)
        many = queries(filters)
    assert few == many and many[0] <= 2 and many[1] == 1


def test_reading_the_report_is_recorded_with_its_filters(ef):
    with district_context("vaishali"):
        thana = ef.offices["ef-thana-mahua"]
        filters = PendencyFilters(as_on=days_ago(3), thana=thana, status_choice="all", days=45)
        pendency_view_record(actor=ef.actor("sdpo"), filters=filters, format="csv", cases=7, stale=2)
        event = AuditEvent.objects.get(action="case.pendency_report")
    assert event.post_id == ef.posts["sdpo"].pk and event.target_id == str(thana.pk)
    assert event.details == {
        "format": "csv",
        "as_on": days_ago(3).isoformat(),
        "thana": thana.code,
        "status": "all",
        "days": 45,
        "cases": 7,
        "stale": 2,
    }
