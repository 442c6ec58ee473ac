"""Who may see a case: THE rule for the case register. Every list, page and change reads through
``case_visible_q``, so they cannot disagree.

It reuses the foundation's ``Viewer`` (posts held today, offices supervised), and registers
the rule with ``core.base.access`` (``register``, called by ``CoreConfig.ready``) so a case's
papers are seen by whoever sees the case:

- an officer holding a post in the case's thana sees the thana's cases;
- the investigating officer's post sees its case, wherever that post sits;
- a supervisor whose scope covers the thana sees them: the SHO heading the thana, the inspector
  of a circle over it, the SDPO of its sub-division, the SP or Addl. SP (the whole district);
- nobody else, and the district admin's role gives nothing (their post is in the SP office).

Whoever sees a case may also change it (status, IO, custody of its papers): the register is kept
by the thana and its supervisors together.
"""

from __future__ import annotations

from django.db.models import Q

from core.base.access import NOTHING, Viewer, id_or_none, office_sight_post_id, sight_rule_register
from core.models import Case, Post


def case_visible_q(viewer: Viewer) -> Q:
    """Cases the viewer may see, as a filter on ``Case``."""
    if viewer.district_wide:
        return Q()
    if not viewer.sees_anything:
        return NOTHING
    own_offices = Post.objects.filter(pk__in=viewer.post_ids).values("office_id")
    q = Q(thana_id__in=own_offices) | Q(io_post_id__in=viewer.post_ids)
    if viewer.scope_office_ids:
        q |= Q(thana_id__in=viewer.scope_office_ids)
    return q


def cases_visible(viewer: Viewer):
    return Case.objects.filter(case_visible_q(viewer))


def case_for(viewer: Viewer, case_id) -> Case | None:
    """The case if the viewer may see it, else None (views answer 404 either way)."""
    case_id = id_or_none(case_id)
    if case_id is None:
        return None
    return (
        cases_visible(viewer)
        .select_related("thana", "io_post__office", "created_post")
        .filter(pk=case_id)
        .first()
    )


def thana_post_id(viewer: Viewer, thana_id: int) -> int | None:
    """The post that lets the viewer keep a thana's register: their post in the thana, else the
    narrowest post supervising it, else their SP or Addl. SP post; None if none does."""
    return office_sight_post_id(viewer, thana_id)


def case_post_id(viewer: Viewer, case: Case) -> int | None:
    """The post the viewer sees (and acts on) the case as: the IO's post if theirs, else as for
    its thana."""
    if viewer.holds(case.io_post_id):
        return case.io_post_id
    return thana_post_id(viewer, case.thana_id)


def register() -> None:
    """A case's papers (``Document.case``) are seen by whoever sees the case, as the post they see
    it as (idempotent)."""
    sight_rule_register(
        kind="case", model=Case, document_field="case", visible=cases_visible, post_id=case_post_id
    )


__all__ = ["case_for", "case_post_id", "case_visible_q", "cases_visible", "register", "thana_post_id"]
