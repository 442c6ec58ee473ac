"""Reads of the case register, always through the visibility rule of ``core.cases.access``."""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from core.base.access import Viewer
from core.cases.access import cases_visible
from core.models import Case, CaseCustody, CaseProgress, CaseReview, Office, Post
from core.templatetags.karyalay import bilingual


def case_list(viewer: Viewer, *, thana: Office | None = None, year: int | None = None, status: str = ""):
    """The cases the viewer may see, newest first, filtered by thana, year and status."""
    cases = cases_visible(viewer).select_related("thana", "io_post")
    if thana is not None:
        cases = cases.filter(thana=thana)
    if year is not None:
        cases = cases.filter(year=year)
    if status:
        cases = cases.filter(status=status)
    return cases.order_by("-registered_on", "thana__name", "-fir_number", "-id")


def _thana_options(offices) -> list[tuple[int, str]]:
    return [(office.pk, bilingual(office)) for office in offices.order_by("name", "id")]


def register_thana_choices(viewer: Viewer) -> list[tuple[int, str]]:
    """The open thanas where the viewer may register a case: those they hold a post in, or
    supervise (all of them for the SP or an Addl. SP)."""
    thanas = Office.objects.filter(kind=Office.Kind.THANA).exclude(status=Office.Status.CLOSED)
    if viewer.district_wide:
        return _thana_options(thanas)
    if not viewer.sees_anything:
        return []

    own = set(Post.objects.filter(pk__in=viewer.post_ids).values_list("office_id", flat=True))
    return _thana_options(thanas.filter(pk__in=own | set(viewer.scope_office_ids)))


def filter_thana_choices(viewer: Viewer) -> list[tuple[int, str]]:
    """The thanas of the cases the viewer may see (to filter the list by)."""
    ids = cases_visible(viewer).order_by().values("thana_id").distinct()
    return _thana_options(Office.objects.filter(pk__in=ids))


def case_custody(case: Case) -> list[CaseCustody]:
    """The custody history of the case's papers, oldest first."""
    return list(case.custody.select_related("by", "by_post").order_by("moved_on", "id"))


def case_progress(case: Case) -> list[CaseProgress]:
    """The case's progress reports, oldest first."""
    return list(case.progress.select_related("by", "post").order_by("reported_on", "id"))


def case_reviews(case: Case) -> list[CaseReview]:
    """The supervisory reviews of the case, oldest first, each flagged ``overdue`` when its
    directions are not complied with and their due date has passed."""
    reviews = list(case.reviews.select_related("by", "post").order_by("reviewed_on", "id"))
    today = timezone.localdate()
    for review in reviews:
        review.overdue = review.complied_on is None and review.due_on < today
    return reviews


def directions_pending(viewer: Viewer):
    """Directions not yet complied with on the cases whose IO post the viewer holds, the oldest
    due first, each annotated ``overdue`` (due date passed)."""
    if not viewer.post_ids:
        return CaseReview.objects.none()
    overdue = ExpressionWrapper(Q(due_on__lt=timezone.localdate()), output_field=BooleanField())
    return (
        CaseReview.objects.filter(complied_on__isnull=True, case__io_post_id__in=viewer.post_ids)
        .select_related("case__thana", "case__io_post", "post", "by")
        .annotate(overdue=overdue)
        .order_by("due_on", "reviewed_on", "id")
    )


__all__ = [
    "case_custody",
    "case_list",
    "case_progress",
    "case_reviews",
    "directions_pending",
    "filter_thana_choices",
    "register_thana_choices",
]
