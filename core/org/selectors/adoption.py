"""A district's figures for the state rollup, read inside that district's schema.

``district_figures`` is the only reader: the state console's rollup task calls it under
``tenants.context.district_context`` for each district and copies the result into the public
rollup tables, so that the state dashboard never has to look into a district's schema.

Dak, e-files and documents do not exist yet (a later issue brings them). Their weekly counts come
from a small registry of counters that the later issue registers with
``adoption_counter_register``; while none is registered for a series, that series is 0: no
figure is made up.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek

from core.models import ActiveDay, Office, Posting, ReadinessItem
from core.org.selectors.postings import officers_posted_count

# A counter takes the first Monday and the day after the last week (exclusive) and returns
# {Monday of the week: count} for the weeks it has anything to count in.
WeeklyCounter = Callable[[datetime.date, datetime.date], Mapping[datetime.date, int]]

COUNTED_SERIES = ("dak_diarised", "files_moved", "documents_uploaded")
SERIES = ("active_officers", *COUNTED_SERIES)

_counters: dict[str, list[WeeklyCounter]] = {series: [] for series in COUNTED_SERIES}


def adoption_counter_register(series: str, counter: WeeklyCounter) -> WeeklyCounter:
    """Add a weekly counter for ``series`` (one of ``COUNTED_SERIES``); usable as a decorator
    through ``functools.partial``. Counters of one series are summed. Called at import time by the
    app that owns the records (e.g. dak receipts), never per request."""
    if series not in _counters:
        raise ValueError(f"Unknown adoption series {series!r}; expected one of {COUNTED_SERIES}")
    if counter not in _counters[series]:
        _counters[series].append(counter)
    return counter


def adoption_counter_unregister(series: str, counter: WeeklyCounter) -> None:
    if counter in _counters.get(series, []):
        _counters[series].remove(counter)


def adoption_series_counted(series: str) -> bool:
    """Whether ``series`` is counted: active officers always are, the others once registered."""
    return series == "active_officers" or bool(_counters.get(series))


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of ``day``'s week."""
    return day - datetime.timedelta(days=day.weekday())


def week_starts(*, weeks: int, today: datetime.date) -> list[datetime.date]:
    """The Mondays of the last ``weeks`` weeks, oldest first, ending with ``today``'s week."""
    this_week = week_start(today)
    return [this_week - datetime.timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def _offices() -> dict:
    by_phase: dict[str, dict[str, int]] = {}
    for phase, status, n in (
        Office.objects.order_by().values_list("phase", "status").annotate(n=Count("id")).order_by("phase")
    ):
        counts = by_phase.setdefault(str(phase), dict.fromkeys(Office.Status.values, 0))
        counts[status] = counts.get(status, 0) + n
    total = sum(sum(counts.values()) for counts in by_phase.values())
    live = sum(counts.get(Office.Status.LIVE, 0) for counts in by_phase.values())
    not_live_phases = [int(p) for p, c in by_phase.items() if sum(c.values()) > c.get(Office.Status.LIVE, 0)]
    if not_live_phases:
        current_phase = min(not_live_phases)
    else:
        current_phase = max((int(p) for p in by_phase), default=0)
    return {
        "offices_total": total,
        "offices_live": live,
        "offices_by_phase": by_phase,
        "current_phase": current_phase,
    }


def _readiness(*, waiting: int) -> dict:
    """Offices not yet live (``waiting`` of them, as ``_offices`` counted), and which checklist
    items they lack (a missing row lacks the item)."""
    items = ReadinessItem.Item.values
    not_live = Office.objects.exclude(status=Office.Status.LIVE)
    done_by_item = dict(
        ReadinessItem.objects.filter(done=True, item__in=items)
        .exclude(office__status=Office.Status.LIVE)
        .order_by()
        .values_list("item")
        .annotate(n=Count("office", distinct=True))
    )
    not_ready = (
        not_live.annotate(
            done_items=Count(
                "readiness_items__item",
                filter=Q(readiness_items__done=True, readiness_items__item__in=items),
                distinct=True,
            )
        )
        .filter(done_items__lt=len(items))
        .count()
    )
    return {
        "readiness_gaps": {item: waiting - done_by_item.get(item, 0) for item in items},
        "offices_not_ready": not_ready,
    }


def _weekly(*, weeks: list[datetime.date]) -> list[dict]:
    first, end = weeks[0], weeks[-1] + datetime.timedelta(days=7)
    rows = {week: dict.fromkeys(SERIES, 0) for week in weeks}
    active = (
        ActiveDay.objects.filter(day__gte=first, day__lt=end)
        .annotate(week=TruncWeek("day"))
        .order_by()
        .values_list("week")
        .annotate(n=Count("person", distinct=True))
    )
    for week, n in active:
        week = week.date() if isinstance(week, datetime.datetime) else week
        if week in rows:
            rows[week]["active_officers"] = n
    for series in COUNTED_SERIES:
        for counter in _counters[series]:
            for week, n in counter(first, end).items():
                if week in rows:
                    rows[week][series] += int(n)
    return [{"week": week, **rows[week]} for week in weeks]


def district_figures(*, weeks: int, today: datetime.date) -> dict:
    """The current district's figures: offices by phase and status, readiness gaps, officers
    posted, current phase, and ``weeks`` weeks (Mondays, oldest first) of adoption.

    Runs in the current schema: the caller sets it (``district_context``). Read-only. The
    ``current_phase`` is the lowest phase that still has offices not live; when every office is
    live, the highest phase; 0 for a district without offices. ``dak_diarised``, ``files_moved``
    and ``documents_uploaded`` stay 0 until their counters are registered (see the module).
    """
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    officers = officers_posted_count()
    offices = _offices()
    return {
        **offices,
        **_readiness(waiting=offices["offices_total"] - offices["offices_live"]),
        "officers_posted": officers,
        "weeks": _weekly(weeks=week_starts(weeks=weeks, today=today)),
    }


# --- per office, for the district dashboard ------------------------------------------------------

# A per-office counter takes the first Monday, the day after the last week (exclusive) and the
# office ids, and returns {(office id, Monday of the week): count}.
OfficeWeeklyCounter = Callable[
    [datetime.date, datetime.date, list[int]], Mapping[tuple[int, datetime.date], int]
]

_office_counters: dict[str, list[OfficeWeeklyCounter]] = {series: [] for series in COUNTED_SERIES}


def adoption_office_counter_register(series: str, counter: OfficeWeeklyCounter) -> OfficeWeeklyCounter:
    """Add a per-office weekly counter for ``series`` (one of ``COUNTED_SERIES``), as
    ``adoption_counter_register`` does district-wide; registered by the app owning the records."""
    if series not in _office_counters:
        raise ValueError(f"Unknown adoption series {series!r}; expected one of {COUNTED_SERIES}")
    if counter not in _office_counters[series]:
        _office_counters[series].append(counter)
    return counter


def adoption_office_counter_unregister(series: str, counter: OfficeWeeklyCounter) -> None:
    if counter in _office_counters.get(series, []):
        _office_counters[series].remove(counter)


def adoption_office_series_counted(series: str) -> bool:
    """Whether ``series`` is counted per office: active officers always, the others once registered."""
    return series == "active_officers" or bool(_office_counters.get(series))


def office_weekly_adoption(*, office_ids: list[int], weeks: list[datetime.date]) -> dict[int, list[dict]]:
    """{office id: [{week, active_officers, dak_diarised, files_moved, documents_uploaded}]} for
    the given Mondays (oldest first). Active officers: distinct people with an ``ActiveDay`` in
    the week whose open posting is in that office (a person posted to two offices counts in both).
    The other series come from per-office counters and are 0 while none is registered. Read-only."""
    rows = {pk: {week: dict.fromkeys(SERIES, 0) for week in weeks} for pk in office_ids}
    if not office_ids or not weeks:
        return {pk: [] for pk in office_ids}
    first, end = weeks[0], weeks[-1] + datetime.timedelta(days=7)
    offices_of: dict[int, set[int]] = {}
    for office_id, person_id in Posting.objects.filter(
        ends_on__isnull=True, post__office_id__in=office_ids
    ).values_list("post__office_id", "person_id"):
        offices_of.setdefault(person_id, set()).add(office_id)
    seen: set[tuple[int, datetime.date]] = set()
    for person_id, day in ActiveDay.objects.filter(
        person_id__in=list(offices_of), day__gte=first, day__lt=end
    ).values_list("person_id", "day"):
        seen.add((person_id, week_start(day)))
    for person_id, week in seen:
        for office_id in offices_of[person_id]:
            if week in rows[office_id]:
                rows[office_id][week]["active_officers"] += 1
    for series in COUNTED_SERIES:
        for counter in _office_counters[series]:
            for (office_id, week), n in counter(first, end, list(office_ids)).items():
                if office_id in rows and week in rows[office_id]:
                    rows[office_id][week][series] += int(n)
    return {pk: [{"week": week, **rows[pk][week]} for week in weeks] for pk in office_ids}
