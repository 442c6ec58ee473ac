"""A case's papers (``Document.case``) and the reads of old-case digitisation.

Case papers follow the e-File's document rules (``core.efile.services.documents`` uploads them,
``core.base.access`` decides who may see them); what is particular to a case is here:

- who keeps a case's papers: whoever may see the case (its thana, its investigating officer, the
  supervisors over the thana), acting as ``case_post_id``. A case of any status takes papers:
  the papers of disposed and transferred cases are exactly what old-case digitisation keeps.
- the reads of digitisation (targets and counts per thana, the quality-check queue, batches),
  every one filtered by ``case_visible_q`` or by who uploaded the batch.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from core.base.actors import actor_viewer
from core.base.audit import Actor
from core.cases.access import case_post_id, case_visible_q
from core.models import (
    Case,
    Document,
    DocumentVersion,
    Post,
)


def case_papers_post(actor: Actor, case: Case, *, lock: bool = False) -> tuple[Case, Post]:
    """The case (locked for the change when ``lock``) and the post the actor keeps its papers as;
    refused unless the actor may see the case."""
    viewer = actor_viewer(actor) if actor.person else None
    found = None
    if viewer is not None:
        cases = Case.objects.select_related("thana")
        if lock:
            cases = cases.select_for_update(of=("self",))
        found = cases.filter(case_visible_q(viewer), pk=case.pk).first()
    post_id = case_post_id(viewer, found) if found is not None else None
    if found is None or post_id is None:
        raise ValidationError(_("You may not add papers to this case."), code="not_your_case")
    return found, Post.objects.get(pk=post_id)


def case_papers(case: Case) -> list[Document]:
    """The papers of a case (callers checked the viewer may see it), oldest first, each with
    ``versions`` newest first: two queries whatever their number."""
    versions = DocumentVersion.objects.select_related("uploaded_by").order_by("-number")
    return list(
        Document.objects.filter(case=case)
        .order_by("created_at", "id")
        .prefetch_related(Prefetch("versions", queryset=versions))
    )


# Reads of old-case digitisation.


__all__ = [
    "case_papers",
    "case_papers_post",
]
