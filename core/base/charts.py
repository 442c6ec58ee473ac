"""Small accessible charts as inline SVG (both consoles): no JavaScript, no external files, a few KB each.

Every chart is ``role="img"`` with a ``<title>`` (and a ``<desc>`` summing it up), text labels on
the bars and axes, and a ``<title>`` per bar for a tooltip. Pages put a compact table beside each
chart, which is what screen readers and print rely on. Empty data and all-zero data draw an
empty chart that says so, never a division by zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

BAR_COLOUR = "#0b5cad"
# Office status colours: live, preparing, planned.
STATUS_COLOURS = ("#1a7f37", "#bf8700", "#8c959f")

_WIDTH = 640
_LABEL_WIDTH = 180
_ROW = 22
_FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def nice_ceiling(value: float) -> int:
    """The smallest of 1, 2, 5 × 10^k that is at least ``value`` (1 for zero or less)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return int(step * power)
    return int(10 * power)  # pragma: no cover


def _short(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _svg(chart_id: str, title: str, desc: str, width: int, height: int, body: list[str]) -> SafeString:
    ident = slugify(chart_id) or "chart"
    return mark_safe(  # noqa: S308 (every text below went through escape())
        f'<svg class="chart" id="{ident}" role="img" aria-labelledby="{ident}-t {ident}-d" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg" {_FONT}>'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _empty(chart_id: str, title: str, width: int = _WIDTH, height: int = 60) -> SafeString:
    message = _("No figures yet.")
    return _svg(
        chart_id,
        title,
        message,
        width,
        height,
        [
            f'<text x="{width // 2}" y="{height // 2}" text-anchor="middle" fill="#5b6475">'
            f"{escape(message)}</text>"
        ],
    )


def stacked_bar_chart(
    *,
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[tuple[str, str]],
    width: int = _WIDTH,
) -> SafeString:
    """Horizontal bars, one per row, each split into ``series`` (``(label, colour)``) segments,
    with the row's label on the left and its total on the right; a legend when there are several
    series."""
    if not rows:
        return _empty(chart_id, title, width=width)
    legend = len(series) > 1
    top = 24 if legend else 4
    height = top + len(rows) * _ROW + 4
    bar_area = width - _LABEL_WIDTH - 60
    scale = max(1, max(sum(values) for _label, values in rows))
    body = []
    if legend:
        x = _LABEL_WIDTH
        for name, colour in series:
            body.append(
                f'<rect x="{x}" y="5" width="12" height="12" fill="{colour}"/>'
                f'<text x="{x + 16}" y="15">{escape(name)}</text>'
            )
            x += 24 + 7 * len(name)
    for i, (label, values) in enumerate(rows):
        y = top + i * _ROW
        if len(series) == 1:
            parts = str(sum(values))
        else:
            parts = ", ".join(f"{name} {value}" for (name, _c), value in zip(series, values, strict=False))
        body.append(f"<g><title>{escape(label)}: {escape(parts)}</title>")
        body.append(
            f'<text x="{_LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end">{escape(_short(label))}</text>'
        )
        x = float(_LABEL_WIDTH)
        for (_name, colour), value in zip(series, values, strict=False):
            segment = bar_area * value / scale
            if segment > 0:
                body.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{segment:.1f}" height="{_ROW - 6}" '
                    f'fill="{colour}"/>'
                )
            x += segment
        body.append(f'<text x="{x + 4:.1f}" y="{y + 15}">{sum(values)}</text></g>')
    total = sum(sum(values) for _label, values in rows)
    desc = _("%(rows)d rows, %(total)d in all.") % {"rows": len(rows), "total": total}
    return _svg(chart_id, title, desc, width, height, body)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, int]],
    colour: str = BAR_COLOUR,
    width: int = _WIDTH,
) -> SafeString:
    """Horizontal bars, one per ``(label, value)`` row."""
    return stacked_bar_chart(
        chart_id=chart_id,
        title=title,
        rows=[(label, (value,)) for label, value in rows],
        series=[(title, colour)],
        width=width,
    )


def column_chart(
    *,
    chart_id: str,
    title: str,
    points: Sequence[tuple[str, int]],
    x_label: str,
    y_label: str,
    colour: str = BAR_COLOUR,
) -> SafeString:
    """Vertical bars over time (e.g. weeks), with a labelled y axis (0, half, top) and x axis."""
    width, height = 360, 210
    left, right, top, bottom = 58, 8, 10, 52
    if not points:
        return _empty(chart_id, title, width=width, height=height)
    plot_w, plot_h = width - left - right, height - top - bottom
    ceiling = nice_ceiling(max(value for _label, value in points))
    slot = plot_w / len(points)
    every = max(1, math.ceil(len(points) / 6))
    base = top + plot_h
    body = []
    ticks = (0, ceiling // 2, ceiling) if ceiling % 2 == 0 else (0, ceiling)
    for tick in ticks:
        y = base - plot_h * tick / ceiling
        text = f"{tick:,}"
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d9dee7"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{text}</text>'
        )
    for i, (label, value) in enumerate(points):
        x = left + i * slot
        bar_h = plot_h * value / ceiling
        body.append(
            f"<g><title>{escape(label)}: {value}</title>"
            f'<rect x="{x + slot * 0.15:.1f}" y="{base - bar_h:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{bar_h:.1f}" fill="{colour}"/></g>'
        )
        if (len(points) - 1 - i) % every == 0:  # the latest week always has its label
            body.append(
                f'<text x="{x + slot / 2:.1f}" y="{base + 14}" text-anchor="middle">{escape(label)}</text>'
            )
    body.append(
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{base}" stroke="#5b6475"/>'
        f'<line x1="{left}" x2="{width - right}" y1="{base}" y2="{base}" stroke="#5b6475"/>'
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 8}" text-anchor="middle">{escape(x_label)}</text>'
        f'<text transform="rotate(-90)" x="{-(top + plot_h / 2):.1f}" y="12" '
        f'text-anchor="middle">{escape(y_label)}</text>'
    )
    latest = points[-1]
    desc = _("%(count)d points; latest %(label)s: %(value)d; highest %(top)d.") % {
        "count": len(points),
        "label": latest[0],
        "value": latest[1],
        "top": max(value for _label, value in points),
    }
    return _svg(chart_id, title, desc, width, height, body)
