from django.shortcuts import render

from core.selectors import office_list
from district_admin.views.common import admin_required


@admin_required
def offices(request):
    return render(request, "district_admin/offices.html", {"offices": office_list()})
