"""The state dashboard: the whole state on one page, from the rollup tables only."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.base.charts import STATUS_COLOURS, bar_chart, stacked_bar_chart
from state_admin.selectors_dashboard import Dashboard, dashboard_get
from state_admin.services.rollup_requests import rollup_refresh_request
from state_admin.views.common import actor_of, staff_required
from tenants.models import PoliceRange

PAIR_WIDTH = 480  # charts that sit two to a row


class RangeFilterForm(forms.Form):
    range = forms.ModelChoiceField(
        queryset=PoliceRange.objects.all(),  # ordered by name
        required=False,
        label=gettext_lazy("Police range"),
        empty_label=gettext_lazy("All ranges"),
    )


def _charts(dash: Dashboard) -> dict:
    statuses = [
        (_("Live"), STATUS_COLOURS[0]),
        (_("Preparing"), STATUS_COLOURS[1]),
        (_("Planned"), STATUS_COLOURS[2]),
    ]
    return {
        "status": bar_chart(
            chart_id="districts-status",
            title=_("Districts by status"),
            rows=[(label, n) for _value, label, n in dash.by_status],
            width=PAIR_WIDTH,
        ),
        "phase": bar_chart(
            chart_id="districts-phase",
            title=_("Districts by current phase"),
            rows=dash.by_phase,
            width=PAIR_WIDTH,
        ),
        "ranges": stacked_bar_chart(
            chart_id="offices-range", title=_("Offices by range"), rows=dash.by_range, series=statuses
        ),
        "districts": stacked_bar_chart(
            chart_id="offices-district",
            title=_("Offices by district"),
            rows=[(d.display_name, d.counts) for d in dash.by_district],
            series=statuses,
        ),
        "gaps": bar_chart(
            chart_id="readiness-gaps",
            title=_("Offices not live, lacking each readiness item"),
            rows=dash.readiness_gaps,
            colour="#a4262c",
            width=PAIR_WIDTH,
        ),
    }


@staff_required
def dashboard_view(request):
    form = RangeFilterForm(request.GET or None)
    police_range = form.cleaned_data["range"] if form.is_valid() else None
    dash = dashboard_get(police_range=police_range)
    return render(
        request,
        "state_admin/dashboard.html",
        {"form": form, "dash": dash, "charts": _charts(dash), "police_range": police_range},
    )


@require_POST
@staff_required
def dashboard_refresh_view(request):
    rollup_refresh_request(actor=actor_of(request))
    messages.success(request, _("The figures are being refreshed. Reload this page in a minute."))
    return redirect("home")
