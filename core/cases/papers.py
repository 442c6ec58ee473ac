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
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from core.audit import Actor
from core.base.access import NOTHING, Viewer, id_or_none
from core.base.actors import actor_viewer
from core.cases.access import case_post_id, case_visible_q, cases_visible
from core.models import (
    Case,
    CaseDigitisation,
    DigitisationBatch,
    DigitisationTarget,
    Document,
    DocumentVersion,
    Office,
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


def digitisation_thanas(viewer: Viewer):
    """The thanas whose old cases the viewer follows: those they hold a post in or supervise (all
    of them for the SP or an Addl. SP)."""
    thanas = Office.objects.filter(kind=Office.Kind.THANA)
    if viewer.district_wide:
        return thanas
    if not viewer.sees_anything:
        return thanas.none()
    own = Post.objects.filter(pk__in=viewer.post_ids).values("office_id")
    return thanas.filter(Q(pk__in=own) | Q(pk__in=viewer.scope_office_ids))


def target_post_id(viewer: Viewer, thana: Office) -> int | None:
    """The post that lets the viewer set a thana's digitisation target: their SP or Addl. SP post,
    else a post supervising the thana from above it (not the thana's own SHO); None if none."""
    if viewer.district_wide:
        return viewer.district_post_id
    above = [post_id for post_id, scope in viewer.supervising if thana.pk in scope]
    if not above:
        return None
    own = set(Post.objects.filter(pk__in=above, office_id=thana.pk).values_list("pk", flat=True))
    return next((post_id for post_id in above if post_id not in own), None)


def digitisation_overview(viewer: Viewer) -> list[dict]:
    """Per thana the viewer follows: the target, cases digitised (waiting for a check or checked),
    checked, sent back, waiting, and the percentage of the target digitised; counted over the cases
    the viewer may see."""
    thanas = list(digitisation_thanas(viewer).order_by("name", "id"))
    targets = dict(DigitisationTarget.objects.filter(office__in=thanas).values_list("office_id", "target"))
    S = CaseDigitisation.Status
    counts = {
        row["case__thana_id"]: row
        for row in CaseDigitisation.objects.filter(case__in=cases_visible(viewer).values("pk"))
        .values("case__thana_id")
        .annotate(
            waiting=Count("pk", filter=Q(status=S.DIGITISED)),
            checked=Count("pk", filter=Q(status=S.CHECKED)),
            sent_back=Count("pk", filter=Q(status=S.SENT_BACK)),
        )
    }
    rows = []
    for thana in thanas:
        got = counts.get(thana.pk, {})
        waiting, checked, sent_back = got.get("waiting", 0), got.get("checked", 0), got.get("sent_back", 0)
        target = targets.get(thana.pk)
        digitised = waiting + checked
        rows.append(
            {
                "thana": thana,
                "target": target,
                "digitised": digitised,
                "waiting": waiting,
                "checked": checked,
                "sent_back": sent_back,
                "percent": round(100 * digitised / target) if target else None,
                "can_set": target_post_id(viewer, thana) is not None,
            }
        )
    return rows


def digitisation_queue(viewer: Viewer, *, status: str = CaseDigitisation.Status.DIGITISED):
    """Digitised cases the viewer may see in ``status`` (by default waiting for a check), oldest
    digitised first."""
    return (
        CaseDigitisation.objects.filter(status=status, case__in=cases_visible(viewer).values("pk"))
        .select_related("case__thana", "digitised_by", "digitised_post", "checked_by", "batch")
        .order_by("digitised_at", "id")
    )


def batch_visible_q(viewer: Viewer) -> Q:
    """Batches the viewer may follow: uploaded as one of their posts, or from an office they
    supervise (all for the SP or an Addl. SP)."""
    if viewer.district_wide:
        return Q()
    if not viewer.sees_anything:
        return NOTHING
    q = Q(created_post_id__in=viewer.post_ids)
    if viewer.scope_office_ids:
        q |= Q(created_post__office_id__in=viewer.scope_office_ids)
    return q


def batch_list(viewer: Viewer):
    return (
        DigitisationBatch.objects.filter(batch_visible_q(viewer))
        .select_related("created_by", "created_post")
        .order_by("-created_at", "-id")
    )


def batch_for(viewer: Viewer, batch_id) -> DigitisationBatch | None:
    """The batch if the viewer may follow it, else None (views answer 404 either way)."""
    batch_id = id_or_none(batch_id)
    if batch_id is None:
        return None
    return batch_list(viewer).filter(pk=batch_id).first()


def batch_post_id(viewer: Viewer, batch: DigitisationBatch) -> int | None:
    """The post the viewer follows the batch as (for the audit trail of what they read)."""
    if viewer.holds(batch.created_post_id):
        return batch.created_post_id
    for post_id, scope in viewer.supervising:
        if batch.created_post.office_id in scope:
            return post_id
    return viewer.district_post_id


__all__ = [
    "batch_for",
    "batch_list",
    "batch_post_id",
    "batch_visible_q",
    "case_papers",
    "case_papers_post",
    "digitisation_overview",
    "digitisation_queue",
    "digitisation_thanas",
    "target_post_id",
]
