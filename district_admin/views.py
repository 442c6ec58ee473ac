from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from core.selectors import office_list, person_is_district_admin


@login_required
def offices(request):
    if not person_is_district_admin(person_id=request.user.pk):
        raise Http404
    return render(request, "district_admin/offices.html", {"offices": office_list()})
