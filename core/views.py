from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.efile.access import viewer_of
from core.efile.selectors.inbox import inbox_summary
from core.selectors import posting_active_list


@login_required
def home(request):
    """The officer's desk: their postings, and per post what waits in the inbox (with links)."""
    return render(
        request,
        "core/home.html",
        {
            "postings": posting_active_list(person_id=request.user.pk),
            "desk": inbox_summary(viewer_of(request)),
        },
    )
