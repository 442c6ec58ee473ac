"""The go-live checklist: an overview of offices not yet live, a page per office with its six
items, and going live (with an override reason when the checklist is incomplete)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.base.form_errors import service_errors
from core.models import Office
from core.org.selectors.readiness import (
    ITEMS,
    office_checklist,
    office_readiness_gaps,
    readiness_item_labels,
    readiness_overview,
)
from core.org.services.go_live import office_go_live
from core.org.services.readiness import readiness_item_record
from district_admin.forms.readiness import GoLiveForm, item_form
from district_admin.views.common import actor_of, admin_required


@admin_required
def overview(request):
    return render(
        request,
        "district_admin/readiness/overview.html",
        {
            "rows": readiness_overview(),
            "items": list(zip(ITEMS, readiness_item_labels(list(ITEMS)), strict=True)),
        },
    )


def _office_page(request, office: Office, *, bound: dict | None = None, go_live_form=None):
    checklist = office_checklist(office)
    for entry in checklist:
        entry["form"] = (bound or {}).get(entry["item"]) or item_form(
            entry["item"], details=entry["details"], note=entry["note"]
        )
    gaps = office_readiness_gaps(office)
    return render(
        request,
        "district_admin/readiness/office.html",
        {
            "office": office,
            "checklist": checklist,
            "gaps": readiness_item_labels(gaps),
            "go_live_form": go_live_form or GoLiveForm(),
        },
    )


@admin_required
def office(request, office_id: int):
    return _office_page(request, get_object_or_404(Office, pk=office_id))


@admin_required
@require_POST
def item_record(request, office_id: int, item: str):
    office = get_object_or_404(Office, pk=office_id)
    if item not in ITEMS:
        raise Http404
    form = item_form(item, data=request.POST)
    if form.is_valid():
        try:
            row = readiness_item_record(
                actor=actor_of(request),
                office=office,
                item=item,
                values=form.values(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            state = _("done") if row.done else _("not done yet")
            messages.success(
                request, _("%(item)s recorded: %(state)s.") % {"item": row.get_item_display(), "state": state}
            )
            return redirect(reverse("district_admin:readiness_office", args=[office.pk]) + f"#{item}")
    office.refresh_from_db()
    return _office_page(request, office, bound={item: form})


@admin_required
@require_POST
def go_live(request, office_id: int):
    office = get_object_or_404(Office, pk=office_id)
    form = GoLiveForm(request.POST)
    if form.is_valid() and office.status == Office.Status.LIVE:
        # The service takes a live office as done (a repeated run); here the admin is told.
        form.add_error(None, _("%(office)s is already live.") % {"office": office.name})
    elif form.is_valid():
        try:
            live = office_go_live(
                actor=actor_of(request), office=office, override_reason=form.cleaned_data["override_reason"]
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(office)s is live from %(day)s.")
                % {"office": live.name, "day": date_format(live.went_live_on, "DATE_FORMAT")},
            )
            return redirect("district_admin:readiness_office", office_id=office.pk)
    return _office_page(request, office, go_live_form=form)
