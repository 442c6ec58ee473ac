"""What every page that names an item shares: 404 for whoever may not see it, before anything else."""

import functools

from django.http import Http404, HttpResponseNotAllowed

from core.base.access import viewer_of


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


def item_or_404(lookup, method: str | None = None):
    """The view gets the item instead of its id (the URL's first argument): ``lookup(viewer, id)``
    (``access.file_for``, ``access.receipt_for`` …) finds it for the signed-in viewer. Whoever may
    not see it gets 404 (the anonymous too, ``item_view``) before a wrong method is answered 405,
    so ids cannot be probed either way; ``method`` None takes any method."""

    def decorator(view):
        @item_view
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if kwargs:
                item_id = kwargs.pop(next(iter(kwargs)))
            else:
                item_id, *args = args
            item = lookup(viewer_of(request), item_id)
            if item is None:
                raise Http404
            if method is not None and request.method != method:
                return HttpResponseNotAllowed([method])
            return view(request, item, *args, **kwargs)

        return wrapped

    return decorator
