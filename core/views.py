from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.selectors import posting_active_list


@login_required
def home(request):
    return render(request, "core/home.html", {"postings": posting_active_list(person_id=request.user.pk)})
