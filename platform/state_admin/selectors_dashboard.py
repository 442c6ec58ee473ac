"""Reads for the state dashboard and a district's adoption figures.

Everything here reads the public schema only: the District and PoliceRange tables and the rollup
tables (``DistrictRollup``, ``AdoptionWeek``) that the rollup task fills. Neither the number
of queries nor the rows that come back grow with the number of districts: sums over every
district are done by PostgreSQL, and only the top few districts come back as rows.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import BigIntegerField, Count, Min, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Office, ReadinessItem
from core.org.selectors.adoption import SERIES, week_starts
from state_admin.models import AdoptionWeek, DistrictRollup
from state_admin.services.rollup import ROLLUP_WEEKS
from tenants.models import District, PoliceRange, police_district_q
from tenants.names import local_name

TOP_N = 15
OFFICE_STATUSES = (Office.Status.LIVE, Office.Status.PREPARING, Office.Status.PLANNED)


@dataclass
class DistrictOffices:
    slug: str
    name: str
    name_hi: str
    counts: tuple[int, int, int]  # live, preparing, planned
    offices_not_ready: int = 0
    gaps: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def display_name(self) -> str:
        return local_name(self.name, self.name_hi)


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
    # Range offices and headquarters: tenants the department manages, counted apart from the
    # police districts above (none of the figures above include them).
    supervising_offices: int = 0


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
    """The four weekly series summed over every police district (or a range's), oldest week first."""
    mondays = week_starts(weeks=weeks, today=timezone.localdate())
    rows = AdoptionWeek.objects.filter(
        police_district_q("district__"), week__gte=mondays[0], week__lte=mondays[-1]
    )
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


def _office_counts(offices_by_phase: dict) -> tuple[int, int, int]:
    by_status = Counter()
    for counts in (offices_by_phase or {}).values():
        by_status.update({status: int(n) for status, n in counts.items()})
    return tuple(by_status.get(status, 0) for status in OFFICE_STATUSES)


def _phase_label(phase: int) -> str:
    return _("Phase %(number)d") % {"number": phase} if phase else _("No offices yet")


# Offices per range, summed by PostgreSQL. Only "preparing" needs the JSON column (live and total
# have columns); a scalar subquery per row keeps the planner's estimate small, where a lateral
# join over two levels of jsonb_each() is estimated at 10,000 rows a district and sets off JIT
# compilation costing more than the query.
_OFFICES_BY_RANGE_SQL = """
SELECT r.name, r.name_hi, SUM(u.offices_live), SUM(u.offices_total),
       SUM((SELECT COALESCE(SUM((p.counts ->> 'preparing')::bigint), 0)
            FROM jsonb_each(CASE WHEN jsonb_typeof(u.offices_by_phase) = 'object'
                                 THEN u.offices_by_phase ELSE '{}'::jsonb END) AS p(phase, counts)
            WHERE jsonb_typeof(p.counts) = 'object'))
FROM state_admin_districtrollup u
JOIN tenants_district d ON d.id = u.district_id
LEFT JOIN tenants_policerange r ON r.id = d.police_range_id
WHERE d.kind = %(kind)s AND (%(range)s::bigint IS NULL OR d.police_range_id = %(range)s::bigint)
GROUP BY r.name, r.name_hi
"""
_ROW_FIELDS = (
    "district__slug",
    "district__name",
    "district__name_hi",
    "offices_by_phase",
    "readiness_gaps",
    "offices_not_ready",
)


def _district_rows(rows) -> list[DistrictOffices]:
    items = ReadinessItem.Item.values
    return [
        DistrictOffices(
            slug,
            name,
            name_hi,
            _office_counts(by_phase),
            not_ready,
            sum(int(n) for item, n in (gaps or {}).items() if item in items),
        )
        for slug, name, name_hi, by_phase, gaps, not_ready in rows
    ]


def dashboard_get(*, police_range: PoliceRange | None = None, top: int = TOP_N) -> Dashboard:
    """The state dashboard's figures, for every police district or one range's. Seven queries
    whatever the number of districts; sums are done by PostgreSQL, and only the top ``top``
    districts (and the ten with most offices not ready) come back as rows. Range offices and
    headquarters are tenants but not police districts: every figure leaves them out, and they
    are counted apart (``supervising_offices``)."""
    tenants = District.objects.all()  # the kind is split below, in the one counting query
    rollups = DistrictRollup.objects.filter(police_district_q("district__")).order_by()
    if police_range is not None:
        tenants = tenants.filter(police_range=police_range)
        rollups = rollups.filter(district__police_range=police_range)
    # One query for both: the police districts by status, and the supervising offices apart.
    counts = tenants.order_by().values_list("kind", "status").annotate(n=Count("id"))
    status_counts: Counter = Counter()
    supervising_offices = 0
    for kind, status, n in counts:
        if kind == District.Kind.DISTRICT:
            status_counts[status] += n
        else:
            supervising_offices += n
    by_status = [(value, label, status_counts.get(value, 0)) for value, label in District.Status.choices]
    districts_total = sum(status_counts.values())

    phases = list(rollups.values_list("current_phase").annotate(n=Count("pk"), at=Min("refreshed_at")))
    rollup_count = sum(n for _phase, n, _at in phases)
    by_phase = [(_phase_label(phase), n) for phase, n, _at in sorted(phases)]
    if districts_total > rollup_count:
        by_phase.append((_("Not onboarded yet"), districts_total - rollup_count))

    per_range = {}
    with connection.cursor() as cursor:
        cursor.execute(
            _OFFICES_BY_RANGE_SQL,
            {"range": police_range.pk if police_range else None, "kind": District.Kind.DISTRICT.value},
        )
        for range_name, range_name_hi, live, total, preparing in cursor.fetchall():
            live, total, preparing = int(live or 0), int(total or 0), int(preparing or 0)
            per_range[local_name(range_name or "", range_name_hi or "") or _("No range")] = (
                live,
                preparing,
                max(total - live - preparing, 0),
            )
    gap_sums = rollups.aggregate(
        **{
            item: Coalesce(Sum(Cast(KT(f"readiness_gaps__{item}"), BigIntegerField())), 0)
            for item in ReadinessItem.Item.values
        }
    )

    largest = rollups.order_by("-offices_total", "district__name").values_list(*_ROW_FIELDS)[:top]
    not_ready = (
        rollups.filter(offices_not_ready__gt=0)
        .order_by("-offices_not_ready", "district__name")
        .values_list(*_ROW_FIELDS)[:10]
    )
    return Dashboard(
        districts_total=districts_total,
        by_status=by_status,
        by_phase=by_phase,
        offices=tuple(sum(counts[i] for counts in per_range.values()) for i in range(3)),
        by_range=sorted(per_range.items()),
        by_district=_district_rows(largest),
        rollup_count=rollup_count,
        readiness_gaps=[(label, gap_sums[item]) for item, label in ReadinessItem.Item.choices],
        most_gaps=_district_rows(not_ready),
        adoption=adoption_state_weeks(police_range=police_range),
        as_of=min((at for _phase, _n, at in phases), default=None),
        top_n=top,
        supervising_offices=supervising_offices,
    )
