"""The pendency report: how many cases each thana has in each status, by age, and which pending
cases have had no progress report for too long. The page, its CSV and its PDF all read through
the two selectors here, which filter by the case register's visibility rule
(``core.cases.access.case_visible_q``), so they cannot disagree about who sees what.

Ages are whole days counted from the registration date to the "as on" date: a case registered on
the as-on date is 0 days old. A case falls in the bucket whose lower bound it has reached and
whose upper bound it has not (``min_days <= age < max_days``), so 59 days is "under 60", 60 is
"60–90", 90 is "90–180", 180 is "180–365" and 365 days or more is "over a year" (a year is
counted as 365 days, leap years too). Cases registered after the as-on date are left out. The
status is the case's status today (the register keeps no history of statuses); progress reports
dated after the as-on date are not counted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core.base.access import Viewer
from core.cases.access import cases_visible
from core.models import Case, Office

PENDING_STATUSES = (Case.Status.REGISTERED, Case.Status.INVESTIGATING)
STALE_DAYS_DEFAULT = 30


@dataclass(frozen=True)
class AgeBucket:
    """Ages from ``min_days`` (included) up to ``max_days`` (excluded; None: no upper bound)."""

    key: str
    label: str
    min_days: int
    max_days: int | None

    def holds(self, age_days: int) -> bool:
        return self.min_days <= age_days and (self.max_days is None or age_days < self.max_days)


# THE boundaries of the report's age buckets: every count, column and test reads them here.
AGE_BUCKETS = (
    AgeBucket("under_60", _("Under 60 days"), 0, 60),
    AgeBucket("60_90", _("60–90 days"), 60, 90),
    AgeBucket("90_180", _("90–180 days"), 90, 180),
    AgeBucket("180_365", _("180–365 days"), 180, 365),
    AgeBucket("over_year", _("Over a year"), 365, None),
)


def age_bucket(age_days: int) -> AgeBucket:
    """The bucket of a case ``age_days`` old (0 or more)."""
    if age_days < 0:
        raise ValueError("a case cannot be registered after the as-on date")
    return next(bucket for bucket in AGE_BUCKETS if bucket.holds(age_days))


def _registered_in(bucket: AgeBucket, as_on: datetime.date) -> Q:
    """The bucket as a filter on the registration date (age = as_on - registered_on)."""
    q = Q(registered_on__lte=as_on - datetime.timedelta(days=bucket.min_days))
    if bucket.max_days is not None:
        q &= Q(registered_on__gt=as_on - datetime.timedelta(days=bucket.max_days))
    return q


STATUS_CHOICE_PENDING = "pending"
STATUS_CHOICE_ALL = "all"


@dataclass(frozen=True)
class PendencyFilters:
    """What the report is asked for: the as-on date, one thana or all the viewer sees (None),
    the statuses counted (``status_choice`` as chosen: "pending", "all" or one status) and the
    number of days without a progress report after which a pending case is listed."""

    as_on: datetime.date
    thana: Office | None = None
    status_choice: str = STATUS_CHOICE_PENDING
    days: int = STALE_DAYS_DEFAULT

    @property
    def statuses(self) -> tuple[str, ...]:
        if self.status_choice == STATUS_CHOICE_PENDING:
            return tuple(PENDING_STATUSES)
        if self.status_choice == STATUS_CHOICE_ALL:
            return tuple(Case.Status.values)
        return (self.status_choice,)

    @property
    def status_label(self) -> str:
        if self.status_choice == STATUS_CHOICE_PENDING:
            return str(_("Pending (registered or under investigation)"))
        if self.status_choice == STATUS_CHOICE_ALL:
            return str(_("Any status"))
        return str(Case.Status(self.status_choice).label)

    def details(self) -> dict:
        """The filters as recorded in the audit trail."""
        return {
            "as_on": self.as_on.isoformat(),
            "thana": self.thana.code if self.thana is not None else None,
            "status": self.status_choice,
            "days": self.days,
        }


@dataclass
class PendencyRow:
    """One thana's cases in one status: a count per age bucket (in ``AGE_BUCKETS`` order)."""

    status: str
    counts: list[int]

    @property
    def status_label(self) -> str:
        return str(Case.Status(self.status).label)

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class PendencyThana:
    thana: Office
    rows: list[PendencyRow] = field(default_factory=list)

    @property
    def counts(self) -> list[int]:
        return [sum(column) for column in zip(*(row.counts for row in self.rows), strict=True)]

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


@dataclass
class PendencyTable:
    thanas: list[PendencyThana]
    buckets: tuple[AgeBucket, ...] = AGE_BUCKETS

    @property
    def counts(self) -> list[int]:
        if not self.thanas:
            return [0] * len(self.buckets)
        return [sum(column) for column in zip(*(thana.counts for thana in self.thanas), strict=True)]

    @property
    def total(self) -> int:
        return sum(thana.total for thana in self.thanas)


def _cases(viewer: Viewer, filters: PendencyFilters):
    cases = cases_visible(viewer).filter(registered_on__lte=filters.as_on)
    if filters.thana is not None:
        cases = cases.filter(thana_id=filters.thana.pk)
    return cases


def pendency_table(viewer: Viewer, *, filters: PendencyFilters) -> PendencyTable:
    """The cases the viewer may see, counted by thana × status × age bucket on the as-on date, in
    one aggregating query (plus one for the thanas' names). Thanas by name, statuses in the
    register's order; a thana or status with no case is left out."""
    counts = {
        f"n_{bucket.key}": Count("id", filter=_registered_in(bucket, filters.as_on)) for bucket in AGE_BUCKETS
    }
    grouped = (
        _cases(viewer, filters)
        .filter(status__in=filters.statuses)
        .order_by()
        .values("thana_id", "status")
        .annotate(**counts)
    )
    by_thana: dict[int, list[PendencyRow]] = {}
    for row in grouped:
        by_thana.setdefault(row["thana_id"], []).append(
            PendencyRow(status=row["status"], counts=[row[f"n_{bucket.key}"] for bucket in AGE_BUCKETS])
        )
    order = {status: index for index, status in enumerate(Case.Status.values)}
    thanas = Office.objects.filter(pk__in=by_thana).order_by("name", "id")
    return PendencyTable(
        thanas=[
            PendencyThana(thana=thana, rows=sorted(by_thana[thana.pk], key=lambda row: order[row.status]))
            for thana in thanas
        ]
    )


def pendency_stale_list(viewer: Viewer, *, filters: PendencyFilters, limit: int | None = None) -> list[Case]:
    """The pending cases (registered or under investigation) the viewer may see whose last
    progress report on or before the as-on date is more than ``filters.days`` days old; a case
    with none counts from its registration date. Longest without a report first, in one query.

    Each case carries ``last_report_on`` (None if it has no report), ``since`` (that date, else
    the registration date) and ``days_since``. ``limit`` caps the number read."""
    cutoff = filters.as_on - datetime.timedelta(days=filters.days)
    cases = (
        _cases(viewer, filters)
        .filter(status__in=PENDING_STATUSES)
        .annotate(
            last_report_on=Max("progress__reported_on", filter=Q(progress__reported_on__lte=filters.as_on))
        )
        .annotate(since=Coalesce("last_report_on", "registered_on"))
        .filter(since__lt=cutoff)
        .select_related("thana", "io_post")
        .order_by("since", "thana__name", "year", "fir_number", "id")
    )
    rows = list(cases if limit is None else cases[:limit])
    for case in rows:
        case.days_since = (filters.as_on - case.since).days
    return rows


__all__ = [
    "AGE_BUCKETS",
    "PENDING_STATUSES",
    "AgeBucket",
    "PendencyFilters",
    "PendencyTable",
    "age_bucket",
    "pendency_stale_list",
    "pendency_table",
]
