from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from state_admin.selectors import district_list
from state_admin.tasks.provisioning import provisioning_progress_get
from state_admin.views.common import staff_required


@staff_required
def district_list_view(request):
    return render(request, "state_admin/home.html", {"districts": district_list()})


@staff_required
def provisioning_status(request, slug: str):
    """The progress of a district's provisioning task, for a page to poll (JSON)."""
    progress = provisioning_progress_get(slug)
    if progress is None:
        return JsonResponse(
            {"state": "unknown", "error": _("No provisioning has been started for this district.")},
            status=404,
        )
    return JsonResponse(progress)
