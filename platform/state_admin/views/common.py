"""What every state-console view shares."""

import functools

from django.contrib.auth.decorators import login_required
from django.http import Http404

from state_admin.services.audit import StaffActor


def staff_required(view):
    """Platform staff only; anyone else gets a 404, as if the page did not exist.

    The access gate already turns non-staff away from the root domain; this keeps each view honest.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def actor_of(request) -> StaffActor:
    return StaffActor.from_request(request)
