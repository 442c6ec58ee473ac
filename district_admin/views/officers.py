"""Officers of the district: list and search, CSV export, add one, deactivate, reactivate, reset
access. Imports of many are the shared screens of ``core.org.officer_import.views`` (wired in
``district_admin.urls.officers``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.base.form_errors import service_errors
from core.models import AccessBlock, Posting
from core.org.selectors.officers import officer_get, officer_people, officer_rows, officers_csv
from core.org.services.officers import (
    officer_access_reset,
    officer_add,
    officer_deactivate,
    officer_reactivate,
)
from district_admin.forms.officers import (
    DeactivateForm,
    OfficerForm,
    search_query,
)
from district_admin.views.common import actor_of, admin_required
from tenants.models import TransferProposal


@admin_required
@require_GET
def officers(request):
    query = search_query(request.GET)
    page = Paginator(officer_people(query=query), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "district_admin/officers/list.html",
        {"rows": officer_rows(page), "page": page, "query": query},
    )


@admin_required
@require_GET
def officers_export(request):
    response = HttpResponse(
        officers_csv(query=search_query(request.GET)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="officers-{request.tenant.slug}.csv"'
    return response


@admin_required
@require_http_methods(["GET", "POST"])
def officer_new(request):
    form = OfficerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            posting = officer_add(actor=actor_of(request), **form.cleaned_data)
        except ValidationError as error:
            service_errors(form, error)
        else:
            if isinstance(posting, TransferProposal):
                messages.info(
                    request,
                    _(
                        "%(login)s holds a posting in %(district)s, so a transfer has been proposed "
                        "to %(district)s; nothing has changed yet. Their posting here starts when "
                        "%(district)s or the state IT department confirms it."
                    )
                    % {"login": posting.person.login_id, "district": posting.from_district.name},
                )
                return redirect("district_admin:transfers")
            messages.success(
                request,
                _("%(login)s is posted to %(post)s.")
                % {"login": posting.person.login_id, "post": posting.post},
            )
            return redirect("district_admin:officer", person_id=posting.person_id)
    return render(request, "district_admin/officers/new.html", {"form": form})


def _officer_or_404(person_id: int):
    person = officer_get(person_id=person_id)
    if person is None:
        raise Http404
    return person


@admin_required
@require_GET
def officer(request, person_id: int):
    person = _officer_or_404(person_id)
    return render(
        request,
        "district_admin/officers/detail.html",
        {
            "row": officer_rows([person])[0],
            "postings": Posting.objects.filter(person=person).select_related("post__office"),
            "blocks": AccessBlock.objects.filter(person=person).select_related("blocked_by", "lifted_by"),
            "deactivate_form": DeactivateForm(),
            "is_self": person.pk == request.user.pk,
        },
    )


def _act(request, person_id: int, service, done: str, **kwargs):
    person = _officer_or_404(person_id)
    try:
        service(actor=actor_of(request), person=person, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("district_admin:officer", person_id=person.pk)


@admin_required
@require_POST
def officer_deactivate_view(request, person_id: int):
    form = DeactivateForm(request.POST)
    if not form.is_valid():
        _officer_or_404(person_id)
        messages.error(request, _("Say why the officer is deactivated."))
        return redirect("district_admin:officer", person_id=person_id)
    return _act(
        request,
        person_id,
        officer_deactivate,
        _("Deactivated: their sessions here have ended and they cannot sign in here."),
        reason=form.cleaned_data["reason"],
    )


@admin_required
@require_POST
def officer_reactivate_view(request, person_id: int):
    return _act(request, person_id, officer_reactivate, _("Reactivated: they can sign in here again."))


@admin_required
@require_POST
def officer_access_reset_view(request, person_id: int):
    return _act(
        request,
        person_id,
        officer_access_reset,
        _("Access reset: their sessions here have ended and a link to set a password is on its way."),
    )
