"""What every district page's header shows of the e-File: the inbox and unread counts, and whether
the person may open the pending view (``selectors.pending``).

Lazy: the counts are read only when a page's template uses them (the e-File navigation, shown to
signed-in people on a district's host outside the admin screens), both in one statement; the inbox
count is the page's own total or the desk summary's when the page built one (``header_counts``).
"""

from django.utils.functional import SimpleLazyObject

from core.base.access import viewer_of
from core.efile.selectors.inbox import header_counts
from core.efile.selectors.pending import pending_allowed as viewer_pending_allowed


def efile(request) -> dict:
    tenant = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    if not getattr(tenant, "slug", "") or user is None or not user.is_authenticated:
        return {}

    def inbox_count():
        return header_counts(request)[0]

    def unread():
        return header_counts(request)[1]

    def pending_allowed():
        return viewer_pending_allowed(viewer_of(request))

    return {
        "efile_inbox_count": SimpleLazyObject(inbox_count),
        "efile_pending_allowed": SimpleLazyObject(pending_allowed),
        "efile_unread_count": SimpleLazyObject(unread),
    }
