"""Pages of a range office or headquarters: the districts under it, and one district's figures.

Only on a range's or headquarters' host, to the people posted there (the host's own gate keeps
everyone else out); on a district's host these URLs are 404. A district outside the range is 404
like a district that does not exist.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from core.base.access import viewer_of
from core.supervision import selectors
from core.supervision.figures import BANDS


def _supervisor_viewer(request):
    viewer = viewer_of(request)
    if not selectors.supervises(request.tenant) or not viewer.post_ids:
        raise Http404
    return viewer


def _totals(rows: list[selectors.Supervised]) -> dict:
    def total(path: tuple[str, ...]) -> int:
        count = 0
        for row in rows:
            value = row.figures
            for key in path:
                value = value.get(key, {}) if isinstance(value, dict) else {}
            count += value if isinstance(value, int) else 0
        return count

    return {
        "files": total(("files", "open")),
        "over_30": total(("files", "bands", "over_30")),
        "dak_overdue": total(("dak", "overdue")),
        "rti_due_soon": total(("rti", "due_soon")),
        "rti_overdue": total(("rti", "overdue")),
        "directions": total(("directions", "pending")),
    }


@login_required
def supervision_board_view(request):
    _supervisor_viewer(request)
    rows = selectors.supervision_board(request.tenant)
    return render(
        request, "core/supervision/board.html", {"rows": rows, "totals": _totals(rows), "bands": BANDS}
    )


@login_required
def supervision_district_view(request, slug: str):
    viewer = _supervisor_viewer(request)
    row = selectors.supervised_for(request.tenant, slug)
    if row is None:
        raise Http404
    return render(
        request,
        "core/supervision/district.html",
        {"row": row, "letters": selectors.letters_from(viewer, row.district)[:100]},
    )
