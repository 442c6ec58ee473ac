"""Pages of the case register: the list, registering a case, the case page (with the custody
history of its papers and the move form) and changing its particulars. Every case is looked up
through ``case_for``: whoever may not see it gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.base.access import id_or_none, viewer_of
from core.base.audit import Actor
from core.base.form_errors import service_errors
from core.base.http import item_or_404
from core.cases.access import case_for, case_post_id
from core.cases.forms.register import (
    SECTION_SUGGESTIONS,
    CaseEditForm,
    CaseFilterForm,
    CaseRegisterForm,
    ComplyForm,
    CustodyMoveForm,
    ProgressForm,
    ReviewForm,
)
from core.cases.selectors.papers import case_papers
from core.cases.selectors.register import (
    case_custody,
    case_list,
    case_progress,
    case_reviews,
    directions_pending,
    filter_thana_choices,
    register_thana_choices,
)
from core.cases.services import progress
from core.cases.services import register as services
from core.efile.selectors.posts import post_choices
from core.models import Case, CaseReview

LIST_PAGE = 50


def _posted(request):
    return request.POST if request.method == "POST" else None


def _actor(request, case: Case | None = None) -> Actor:
    post_id = case_post_id(viewer_of(request), case) if case is not None else None
    return Actor.from_request(request, post_id=post_id)


@login_required
def case_list_page(request):
    viewer = viewer_of(request)
    form = CaseFilterForm(request.GET or None, thana_choices=filter_thana_choices(viewer))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    cases = case_list(viewer, **{key: value for key, value in filters.items() if value})
    page = Paginator(cases, LIST_PAGE).get_page(request.GET.get("page"))
    can_register = bool(register_thana_choices(viewer))
    return render(request, "core/cases/list.html", {"form": form, "page": page, "can_register": can_register})


@login_required
def case_register_page(request):
    thanas = register_thana_choices(viewer_of(request))
    form = CaseRegisterForm(_posted(request), thana_choices=thanas, post_choices=post_choices())
    if request.method == "POST" and thanas and form.is_valid():
        try:
            case = services.case_register(actor=_actor(request), **form.cleaned_data)
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("%(case)s entered in the register.") % {"case": case.label})
            return redirect("case", case.pk)
    context = {"form": form, "thanas": thanas, "suggestions": SECTION_SUGGESTIONS}
    return render(request, "core/cases/register.html", context)


def _supervision_context(request, case: Case, *, progress_form, review_form, comply_form, comply_id) -> dict:
    """The Progress and Supervision sections: reports, reviews and the forms the viewer may use
    (a refused form comes back bound, with what was typed)."""
    viewer = viewer_of(request)
    can_comply = progress.comply_post_id(viewer, case) is not None
    reviews = case_reviews(case)
    for review in reviews:
        if can_comply and review.complied_on is None:
            review.comply_form = comply_form if review.pk == comply_id else ComplyForm(prefix=f"r{review.pk}")
    return {
        "progress_reports": case_progress(case),
        "reviews": reviews,
        "can_progress": progress.progress_post_id(viewer, case) is not None,
        "can_review": progress.review_post_id(viewer, case) is not None,
        "can_comply": can_comply,
        "progress_form": progress_form or ProgressForm(),
        "review_form": review_form or ReviewForm(),
    }


def _case_page(
    request,
    case: Case,
    *,
    move_form=None,
    progress_form=None,
    review_form=None,
    comply_form=None,
    comply_id=None,
):
    # A GET is a read; a refused POST only shows back what was typed.
    if request.method != "POST":
        services.case_view_record(actor=_actor(request, case), case=case)
    context = {"case": case, "custody": case_custody(case), "move_form": move_form or CustodyMoveForm()}
    context["papers"] = case_papers(
        case
    )  # whoever sees the case may add papers (core.cases.selectors.papers)
    context |= _supervision_context(
        request,
        case,
        progress_form=progress_form,
        review_form=review_form,
        comply_form=comply_form,
        comply_id=comply_id,
    )
    return render(request, "core/cases/detail.html", context)


@item_or_404(case_for)
def case_page(request, case: Case):
    return _case_page(request, case)


@item_or_404(case_for)
def case_edit(request, case: Case):
    form = CaseEditForm.for_case(case, _posted(request), post_choices=post_choices())
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(actor=_actor(request, case), case=case, **form.cleaned_data)
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Case particulars saved."))
            return redirect("case", case.pk)
    if request.method != "POST":
        services.case_view_record(actor=_actor(request, case), case=case, page="edit")
    context = {"case": case, "form": form, "suggestions": SECTION_SUGGESTIONS}
    return render(request, "core/cases/edit.html", context)


@item_or_404(case_for, "POST")
def custody_move(request, case: Case):
    form = CustodyMoveForm(request.POST)
    if form.is_valid():
        try:
            services.case_custody_move(actor=_actor(request, case), case=case, **form.cleaned_data)
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("The move of the papers is recorded."))
            return redirect("case", case.pk)
    # Shown again with what was typed, so a refusal loses nothing.
    return _case_page(request, case, move_form=form)


def _acting(request, case: Case, rule) -> Actor:
    return Actor.from_request(request, post_id=rule(viewer_of(request), case))


def _refused(request, case: Case, rule, form, error: ValidationError) -> None:
    """Put the refusal on the form; where the page will not show that form (the viewer may not
    use it), as a message instead, so it is seen either way."""
    service_errors(form, error)
    if rule(viewer_of(request), case) is None:
        messages.error(request, " ".join(error.messages))


@item_or_404(case_for, "POST")
def progress_add(request, case: Case):
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            progress.case_progress_add(
                actor=_acting(request, case, progress.progress_post_id), case=case, **form.cleaned_data
            )
        except ValidationError as error:
            _refused(request, case, progress.progress_post_id, form, error)
        else:
            messages.success(request, _("The progress report is added."))
            return redirect(f"{reverse('case', args=[case.pk])}#progress")
    return _case_page(request, case, progress_form=form)


@item_or_404(case_for, "POST")
def review_add(request, case: Case):
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            progress.case_review_add(
                actor=_acting(request, case, progress.review_post_id), case=case, **form.cleaned_data
            )
        except ValidationError as error:
            _refused(request, case, progress.review_post_id, form, error)
        else:
            messages.success(request, _("The review and its directions are recorded."))
            return redirect(f"{reverse('case', args=[case.pk])}#supervision")
    return _case_page(request, case, review_form=form)


@item_or_404(case_for, "POST")
def direction_comply(request, case: Case, review_id):
    review_id = id_or_none(review_id)
    review = CaseReview.objects.filter(case=case, pk=review_id).first() if review_id else None
    if review is None:
        raise Http404
    form = ComplyForm(request.POST, prefix=f"r{review.pk}")
    if form.is_valid():
        try:
            progress.case_direction_comply(
                actor=_acting(request, case, progress.comply_post_id),
                case=case,
                review=review,
                **form.cleaned_data,
            )
        except ValidationError as error:
            _refused(request, case, progress.comply_post_id, form, error)
        else:
            messages.success(request, _("The directions are marked complied with."))
            return redirect(f"{reverse('case', args=[case.pk])}#supervision")
    return _case_page(request, case, comply_form=form, comply_id=review.pk)


@login_required
def directions_page(request):
    page = Paginator(directions_pending(viewer_of(request)), LIST_PAGE).get_page(request.GET.get("page"))
    return render(request, "core/cases/directions.html", {"page": page})
