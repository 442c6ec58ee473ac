"""Offices as a tree: list, create, edit, move under another parent, close."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.base.form_errors import service_errors
from core.models import Office
from core.org import services
from core.org.selectors.offices import office_tree
from core.org.selectors.postings import post_list
from district_admin.forms.offices import (
    OfficeCloseForm,
    OfficeCreateForm,
    OfficeEditForm,
    OfficeMoveForm,
)
from district_admin.views.common import actor_of, admin_required


@admin_required
def offices(request):
    return render(request, "district_admin/offices/list.html", {"rows": office_tree()})


@admin_required
def office_detail(request, office_id: int):
    office = get_object_or_404(Office.objects.select_related("parent"), pk=office_id)
    return render(
        request,
        "district_admin/offices/detail.html",
        {"office": office, "posts": post_list(office=office), "children": office.children.order_by("name")},
    )


def _form_page(request, form, *, title: str, office: Office | None = None):
    return render(
        request, "district_admin/offices/form.html", {"form": form, "title": title, "office": office}
    )


@admin_required
def office_create(request):
    form = OfficeCreateForm(request.POST or None, initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        try:
            office = services.office_create(actor=actor_of(request), **form.cleaned_data)
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Office %(office)s created.") % {"office": office.name})
            return redirect("district_admin:office", office.pk)
    return _form_page(request, form, title=_("New office"))


@admin_required
def office_edit(request, office_id: int):
    office = get_object_or_404(Office, pk=office_id)
    initial = {f: getattr(office, f) for f in OfficeEditForm.base_fields}
    form = OfficeEditForm(request.POST or None, initial=initial, office=office)
    if request.method == "POST" and form.is_valid():
        try:
            services.office_update(actor=actor_of(request), office=office, **form.cleaned_data)
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Office %(office)s saved.") % {"office": office.name})
            return redirect("district_admin:office", office.pk)
    return _form_page(request, form, title=_("Edit office"), office=office)


@admin_required
def office_move(request, office_id: int):
    office = get_object_or_404(Office, pk=office_id)
    form = OfficeMoveForm(request.POST or None, initial={"parent": office.parent_id}, office=office)
    if request.method == "POST" and form.is_valid():
        try:
            services.office_move(actor=actor_of(request), office=office, parent=form.cleaned_data["parent"])
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Office %(office)s moved.") % {"office": office.name})
            return redirect("district_admin:office", office.pk)
    return _form_page(request, form, title=_("Move office"), office=office)


@admin_required
def office_close(request, office_id: int):
    office = get_object_or_404(Office, pk=office_id)
    form = OfficeCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.office_close(
                actor=actor_of(request),
                office=office,
                closed_on=form.cleaned_data["closed_on"],
                reason=form.cleaned_data["close_reason"],
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Office %(office)s closed.") % {"office": office.name})
            return redirect("district_admin:office", office.pk)
    return _form_page(request, form, title=_("Close office"), office=office)
