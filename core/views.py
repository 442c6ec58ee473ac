from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.base.access import viewer_of
from core.base.holders import posting_active_list
from core.efile.selectors.inbox import desk_summary


@login_required
def home(request):
    """The officer's desk: their postings, and per post what waits in the inbox (with links).

    The postings are read once: shown here and the e-File viewer worked out from them; the
    summary's total is the header's inbox count."""
    postings = list(posting_active_list(person_id=request.user.pk))
    viewer_of(request, postings=postings)
    return render(request, "core/home.html", {"postings": postings, "desk": desk_summary(request)})
