"""What every district-admin view shares."""

import functools

from django.contrib.auth.decorators import login_required
from django.http import Http404

from core.base.audit import Actor
from core.org.selectors.request_access import request_is_district_admin


def admin_required(view):
    """District admins of this district only; anyone else gets a 404, as if the page did not exist.

    The access gate already keeps out people with no posting here and enforces TOTP for admins.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated or not request_is_district_admin(request):
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def actor_of(request) -> Actor:
    """The admin acting, for the district's audit trail."""
    return Actor.from_request(request)
