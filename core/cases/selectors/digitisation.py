"""Reads of old-case digitisation, through the case register's sight rule: the thanas a viewer
sets targets for or sees, the overview of targets and counts, the quality-check queue and the
batches.
"""

from __future__ import annotations

from django.db.models import Count, Q

from core.base.access import NOTHING, Viewer, id_or_none
from core.cases.access import cases_visible
from core.models import (
    CaseDigitisation,
    DigitisationBatch,
    DigitisationTarget,
    Office,
    Post,
)


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
