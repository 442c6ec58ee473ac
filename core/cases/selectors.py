"""Reads of the case register, always through the visibility rule of ``core.cases.access``."""

from __future__ import annotations

from core.cases.access import cases_visible
from core.efile.access import Viewer
from core.models import Case, CaseCustody, Office, Post
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


__all__ = ["case_custody", "case_list", "filter_thana_choices", "register_thana_choices"]
