"""The district dashboard (offices by phase and status, readiness gaps, training coverage,
adoption since go-live per office) and the printable one-page rollout report of an office."""

import datetime

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.base.charts import STATUS_COLOURS, bar_chart, column_chart, stacked_bar_chart
from core.models import Office, ReadinessItem
from core.org.selectors.adoption import (
    COUNTED_SERIES,
    adoption_office_series_counted,
    office_weekly_adoption,
    week_starts,
)
from core.org.selectors.readiness import ITEMS, office_checklist, readiness_item_labels, readiness_overview
from core.org.selectors.training import office_training_coverage
from district_admin.views.common import admin_required

DASHBOARD_WEEKS = 12  # the dashboard shows each live office's latest weeks; the report up to 26
REPORT_WEEKS = 26
PAIR_WIDTH = 480
STATUSES = (
    (Office.Status.LIVE, STATUS_COLOURS[0]),
    (Office.Status.PREPARING, STATUS_COLOURS[1]),
    (Office.Status.PLANNED, STATUS_COLOURS[2]),
    (Office.Status.CLOSED, "#d0d7de"),
)


def _name(office: Office) -> str:
    return office.name_hi if get_language() == "hi" and office.name_hi else office.name


def _adoption(offices: list[Office], *, cap: int, today: datetime.date) -> list[dict]:
    """Per live office: the weeks since it went live (the latest ``cap``), a chart of active
    officers, and the totals of each series over those weeks."""
    spans = {}
    for office in offices:
        live_weeks = (today - office.went_live_on).days // 7 + 1 if office.went_live_on else 1
        spans[office.pk] = week_starts(weeks=max(1, min(cap, live_weeks)), today=today)
    longest = max(spans.values(), key=len, default=[])
    figures = office_weekly_adoption(office_ids=[o.pk for o in offices], weeks=longest)
    result = []
    for office in offices:
        rows = [row for row in figures[office.pk] if row["week"] in set(spans[office.pk])]
        result.append(
            {
                "office": office,
                "rows": rows,
                "totals": {
                    key: sum(row[key] for row in rows) for key in ("active_officers", *COUNTED_SERIES)
                },
                "chart": column_chart(
                    chart_id=f"adoption-{office.pk}",
                    title=_("Active officers per week: %(office)s") % {"office": _name(office)},
                    points=[
                        (date_format(row["week"], "MONTH_DAY_FORMAT"), row["active_officers"]) for row in rows
                    ],
                    x_label=_("Week starting"),
                    y_label=_("officers"),
                ),
            }
        )
    return result


def _counted() -> bool:
    return all(adoption_office_series_counted(series) for series in COUNTED_SERIES)


@admin_required
def dashboard(request):
    offices = list(Office.objects.select_related("parent").order_by("phase", "name"))
    phases = sorted({office.phase for office in offices})
    by_phase = [
        (phase, [sum(1 for o in offices if o.phase == phase and o.status == s) for s, _c in STATUSES])
        for phase in phases
    ]
    status_series = [(str(Office.Status(s).label), colour) for s, colour in STATUSES]
    gaps = [row for row in readiness_overview() if row["gaps"]]
    coverage = office_training_coverage([o.pk for o in offices if o.status != Office.Status.CLOSED])
    covered = [(o, coverage[o.pk]) for o in offices if o.pk in coverage and coverage[o.pk].postings]
    live = [o for o in offices if o.status == Office.Status.LIVE]
    charts = {
        "phases": stacked_bar_chart(
            chart_id="offices-phase",
            title=_("Offices by phase and status"),
            rows=[(_("Phase %(n)d") % {"n": phase}, counts) for phase, counts in by_phase],
            series=status_series,
            width=PAIR_WIDTH,
        ),
        "gaps": bar_chart(
            chart_id="readiness-gaps",
            title=_("Offices not live, lacking each item"),
            rows=[
                (label, sum(item in row["gaps"] for row in gaps))
                for item, label in zip(ITEMS, readiness_item_labels(list(ITEMS)), strict=True)
            ],
            colour="#a4262c",
            width=PAIR_WIDTH,
        ),
        "training": bar_chart(
            chart_id="training-coverage",
            title=_("Share of postings trained (%)"),
            rows=[(_name(o), cov.share or 0) for o, cov in covered],
        ),
    }
    return render(
        request,
        "district_admin/dashboard.html",
        {
            "offices": offices,
            "statuses": [label for label, _c in status_series],
            "by_phase": by_phase,
            "gaps": gaps,
            "covered": covered,
            "adoption": _adoption(live, cap=DASHBOARD_WEEKS, today=timezone.localdate()),
            "weeks": DASHBOARD_WEEKS,
            "counted": _counted(),
            "charts": charts,
        },
    )


@admin_required
def report(request, office_id: int):
    office = get_object_or_404(Office.objects.select_related("parent"), pk=office_id)
    adoption = None
    if office.status == Office.Status.LIVE and office.went_live_on:
        adoption = _adoption([office], cap=REPORT_WEEKS, today=timezone.localdate())[0]
    return render(
        request,
        "district_admin/report.html",
        {
            "office": office,
            "checklist": office_checklist(office),
            "coverage": office_training_coverage([office.pk])[office.pk],
            "adoption": adoption,
            "counted": _counted(),
            "weeks": REPORT_WEEKS,
            "today": timezone.localdate(),
            "training_item": ReadinessItem.Item.TRAINING,
        },
    )
