"""The inward and outward registers: one office's (or all the viewer's offices') dak for a date
range, only the rows the viewer may see, printable."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.base.access import office_sight_post_id, viewer_of
from core.base.actors import actor_for
from core.efile.forms.dak import RegisterForm
from core.efile.selectors.dak import (
    REGISTER_LIMIT,
    inward_register,
    outward_register,
    register_default_range,
    register_offices,
)
from core.efile.services.reads import register_view_record


def _register(request, *, register: str, selector, template: str):
    viewer = viewer_of(request)
    offices = register_offices(viewer)
    default_range = register_default_range()
    data = request.GET if request.GET else None
    form = RegisterForm(
        data,
        offices=offices,
        default_range=default_range,
        initial={"date_from": default_range[0], "date_to": default_range[1]},
    )
    if data is None:
        filters = {"office": None, "date_from": default_range[0], "date_to": default_range[1]}
    else:
        filters = form.cleaned_data if form.is_valid() else None
    rows, office, truncated = [], None, False
    start, end = (filters["date_from"], filters["date_to"]) if filters else default_range
    if filters:
        office = next((o for o in offices if o.pk == filters["office"]), None)
        rows = list(selector(viewer, date_from=start, date_to=end, office=office)[: REGISTER_LIMIT + 1])
        truncated = len(rows) > REGISTER_LIMIT
        rows = rows[:REGISTER_LIMIT]
        register_view_record(
            actor=actor_for(request, post_id=office_sight_post_id(viewer, office.pk if office else None)),
            register=register,
            office=office,
            date_from=start,
            date_to=end,
            rows=len(rows),
        )
    context = {
        "form": form,
        "rows": rows,
        "office": office,
        "date_from": start,
        "date_to": end,
        "truncated": truncated,
        "limit": REGISTER_LIMIT,
    }
    return render(request, template, context)


@login_required
def inward(request):
    return _register(
        request, register="inward", selector=inward_register, template="core/efile/dak/inward_register.html"
    )


@login_required
def outward(request):
    return _register(
        request,
        register="outward",
        selector=outward_register,
        template="core/efile/dak/outward_register.html",
    )
