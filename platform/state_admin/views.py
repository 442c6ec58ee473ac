from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from state_admin.selectors import district_list
from state_admin.tasks import provisioning_progress_get


def _staff(view):
    # The access gate already turns non-staff away from the root domain; this keeps each view honest.
    def wrapped(request, *args, **kwargs):
        if not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapped)


@_staff
def home(request):
    return render(request, "state_admin/home.html", {"districts": district_list()})


@_staff
def provisioning_status(request, slug: str):
    """The progress of a district's provisioning task, for a page to poll (JSON)."""
    progress = provisioning_progress_get(slug)
    if progress is None:
        return JsonResponse(
            {"state": "unknown", "error": _("No provisioning has been started for this district.")},
            status=404,
        )
    return JsonResponse(progress)
