"""Template tags that draw the state console's charts (``core.base.charts``) from rows."""

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.base.charts import column_chart
from core.org.selectors.adoption import SERIES, adoption_series_counted

register = template.Library()

SERIES_LABELS = {
    "active_officers": (_("Active officers"), _("officers")),
    "dak_diarised": (_("Dak diarised"), _("dak")),
    "files_moved": (_("Files moved"), _("movements")),
    "documents_uploaded": (_("Documents uploaded"), _("documents")),
}


def _week(row):
    return row["week"] if isinstance(row, dict) else row.week


def _value(row, name: str) -> int:
    return int((row.get(name) if isinstance(row, dict) else getattr(row, name, 0)) or 0)


@register.simple_tag
def adoption_series(rows, prefix: str = "adoption") -> list[dict]:
    """The four weekly adoption series of ``rows`` (AdoptionWeek-like objects or dicts with
    ``week`` and the four counts), each as ``{"key", "title", "svg", "table", "counted"}``;
    ``table`` is ``[(week, value)]`` for the table beside the chart."""
    rows = list(rows or [])
    series = []
    for key in SERIES:
        title, unit = SERIES_LABELS[key]
        table = [(_week(row), _value(row, key)) for row in rows]
        points = [(date_format(week, "MONTH_DAY_FORMAT"), value) for week, value in table]
        series.append(
            {
                "key": key,
                "title": title,
                "table": table,
                "counted": adoption_series_counted(key),
                "svg": column_chart(
                    chart_id=f"{prefix}-{key}",
                    title=str(title),
                    points=points,
                    x_label=str(_("Week starting")),
                    y_label=str(unit),
                ),
            }
        )
    return series
