"""Reads for the state dashboard and a district's adoption figures.

Everything here reads the public schema only: the District and PoliceRange tables and the rollup
tables (``DistrictRollup``, ``AdoptionWeek``) that the rollup task fills. The number of queries
does not grow with the number of districts; the few per-district sums are done in Python over
one query's rows (a thousand small rows).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.adoption import SERIES, week_starts
from core.models import Office, ReadinessItem
from state_admin.models import AdoptionWeek, DistrictRollup
from state_admin.services.rollup import ROLLUP_WEEKS
from tenants.models import District, PoliceRange

TOP_N = 15
OFFICE_STATUSES = (Office.Status.LIVE, Office.Status.PREPARING, Office.Status.PLANNED)


@dataclass
class DistrictOffices:
    district: District
    counts: tuple[int, int, int]  # live, preparing, planned
    offices_not_ready: int = 0
    gaps: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class Dashboard:
    districts_total: int
    by_status: list[tuple[str, str, int]]  # (status, label, count)
    by_phase: list[tuple[str, int]]
    offices: tuple[int, int, int]  # live, preparing, planned, state-wide
    by_range: list[tuple[str, tuple[int, int, int]]]
    by_district: list[DistrictOffices]  # top N by number of offices
    rollup_count: int
    readiness_gaps: list[tuple[str, int]]
    most_gaps: list[DistrictOffices]
    adoption: list[dict]
    as_of: datetime.datetime | None
    top_n: int = TOP_N


def adoption_weeks_for(district: District, weeks: int = ROLLUP_WEEKS) -> list[AdoptionWeek]:
    """The district's adoption rows of the last ``weeks`` weeks, oldest first, one per week: a
    week the rollup has no row for is an unsaved row of zeros. One query, public schema only;
    for ``templates/state_admin/_adoption.html``."""
    mondays = week_starts(weeks=weeks, today=timezone.localdate())
    stored = {
        row.week: row
        for row in AdoptionWeek.objects.filter(district=district, week__gte=mondays[0], week__lte=mondays[-1])
    }
    return [stored.get(monday) or AdoptionWeek(district=district, week=monday) for monday in mondays]


def adoption_state_weeks(*, police_range: PoliceRange | None = None, weeks: int = ROLLUP_WEEKS) -> list[dict]:
    """The four weekly series summed over every district (or a range's), oldest week first."""
    mondays = week_starts(weeks=weeks, today=timezone.localdate())
    rows = AdoptionWeek.objects.filter(week__gte=mondays[0], week__lte=mondays[-1])
    if police_range is not None:
        rows = rows.filter(district__police_range=police_range)
    sums = {
        row["week"]: row
        for row in rows.order_by().values("week").annotate(**{series: Sum(series) for series in SERIES})
    }
    return [
        {"week": monday, **{series: (sums.get(monday) or {}).get(series) or 0 for series in SERIES}}
        for monday in mondays
    ]


def _office_counts(rollup: DistrictRollup) -> tuple[int, int, int]:
    by_status = Counter()
    for counts in (rollup.offices_by_phase or {}).values():
        by_status.update({status: int(n) for status, n in counts.items()})
    return tuple(by_status.get(status, 0) for status in OFFICE_STATUSES)


def _phase_label(phase: int) -> str:
    return _("Phase %(number)d") % {"number": phase} if phase else _("No offices yet")


def dashboard_get(*, police_range: PoliceRange | None = None, top: int = TOP_N) -> Dashboard:
    """The state dashboard's figures, for every district or one range's. A fixed handful of
    queries, whatever the number of districts."""
    districts = District.objects.all()
    rollups = DistrictRollup.objects.select_related("district__police_range")
    if police_range is not None:
        districts = districts.filter(police_range=police_range)
        rollups = rollups.filter(district__police_range=police_range)
    status_counts = dict(districts.order_by().values_list("status").annotate(n=Count("id")))
    by_status = [(value, label, status_counts.get(value, 0)) for value, label in District.Status.choices]
    rollups = list(rollups)
    districts_total = sum(status_counts.values())

    phase_counts = Counter(rollup.current_phase for rollup in rollups)
    by_phase = [(_phase_label(phase), phase_counts[phase]) for phase in sorted(phase_counts)]
    not_onboarded = districts_total - len(rollups)
    if not_onboarded > 0:
        by_phase.append((_("Not onboarded yet"), not_onboarded))

    items = dict(ReadinessItem.Item.choices)
    gap_totals = Counter()
    per_district, per_range = [], {}
    for rollup in rollups:
        counts = _office_counts(rollup)
        gaps = {item: int(n) for item, n in (rollup.readiness_gaps or {}).items() if item in items}
        gap_totals.update(gaps)
        per_district.append(
            DistrictOffices(rollup.district, counts, rollup.offices_not_ready, sum(gaps.values()))
        )
        range_name = rollup.district.range_name or _("No range")
        so_far = per_range.get(range_name, (0, 0, 0))
        per_range[range_name] = tuple(a + b for a, b in zip(so_far, counts, strict=True))

    refreshed = [rollup.refreshed_at for rollup in rollups]
    return Dashboard(
        districts_total=districts_total,
        by_status=by_status,
        by_phase=by_phase,
        offices=tuple(sum(d.counts[i] for d in per_district) for i in range(3)),
        by_range=sorted(per_range.items()),
        by_district=sorted(per_district, key=lambda d: (-d.total, d.district.name))[:top],
        rollup_count=len(rollups),
        readiness_gaps=[(label, gap_totals.get(item, 0)) for item, label in items.items()],
        most_gaps=sorted(
            (d for d in per_district if d.offices_not_ready or d.gaps),
            key=lambda d: (-d.offices_not_ready, -d.gaps, d.district.name),
        )[:10],
        adoption=adoption_state_weeks(police_range=police_range),
        as_of=min(refreshed) if refreshed else None,
        top_n=top,
    )


def range_list():
    return PoliceRange.objects.order_by("name")
