"""What every e-File view shares."""

import functools

from django.http import Http404

from core.audit import Actor
from core.efile.access import acting_post_id, viewer_of


def item_view(view):
    """For URLs that name a file, a receipt or a document: an anonymous visitor gets the same 404
    as anyone else who may not see the item, so ids cannot be probed by signing out. (Pages without
    an id, such as the inbox, use ``login_required`` and send visitors to sign in.)"""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def actor_for(request, item=None, *, post_id: int | None = None) -> Actor:
    """The audit actor for this request, acting as ``post_id`` or as the item's post if held."""
    if post_id is None and item is not None:
        post_id = acting_post_id(viewer_of(request), item)
    return Actor.from_request(request, post_id=post_id)
