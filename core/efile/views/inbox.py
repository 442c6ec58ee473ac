"""The officer's trays (inbox, sent, parked, closed) and notifications. Pages without an item id:
``login_required`` sends visitors to sign in; each page lists only what is at, or passed through,
the person's own posts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.base.access import id_or_none, viewer_of
from core.base.actors import actor_for
from core.efile.selectors import inbox as trays
from core.efile.selectors.notifications import notifications_page
from core.efile.services.notifications import notifications_read
from core.efile.views.tray_cache import tray_rows_html

# Each tray's page and the template of its rows (``tray_cache`` keeps them rendered).
ROWS_TEMPLATES = {
    "inbox": "core/efile/inbox/_tray_rows.html",
    "closed": "core/efile/inbox/_tray_rows.html",
    "sent": "core/efile/inbox/_sent_rows.html",
    "parked": "core/efile/inbox/_parked_rows.html",
}


def _tray(request, *, tray: str, page, template: str = "core/efile/inbox/tray.html"):
    rows_html = tray_rows_html(person_id=request.user.pk, tray=tray, page=page, template=ROWS_TEMPLATES[tray])
    return render(request, template, {"tray": tray, "page": page, "rows_html": rows_html})


@login_required
def inbox(request):
    # The page's total is the header's inbox count (the same files and dak), read with the unread
    # notifications in one statement: the page does not count them again.
    waiting, _unread = trays.header_counts(request)
    page = trays.inbox_page(viewer_of(request), request.GET.get("page"), count=waiting)
    return _tray(request, tray="inbox", page=page)


@login_required
def sent(request):
    return _tray(
        request,
        tray="sent",
        page=trays.sent_page(viewer_of(request), request.GET.get("page")),
        template="core/efile/inbox/sent.html",
    )


@login_required
def parked(request):
    return _tray(
        request,
        tray="parked",
        page=trays.parked_page(viewer_of(request), request.GET.get("page")),
        template="core/efile/inbox/parked.html",
    )


@login_required
def closed(request):
    return _tray(request, tray="closed", page=trays.closed_page(viewer_of(request), request.GET.get("page")))


@login_required
def notifications(request):
    page = notifications_page(viewer_of(request), request.GET.get("page"))
    return render(request, "core/efile/inbox/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_mark_read(request):
    """Mark one notification read (``id``) or all of them (no ``id``)."""
    raw = request.POST.get("id")
    ids = None
    if raw is not None:
        one = id_or_none(raw)
        ids = [one] if one is not None else []
    count = notifications_read(actor=actor_for(request), notification_ids=ids)
    if ids is None:
        messages.success(
            request,
            ngettext("%(n)d notification marked read.", "%(n)d notifications marked read.", count)
            % {"n": count},
        )
    return redirect("efile_notifications")
