"""Progress and supervision of a case: the investigating officer reports progress, a supervisor
over the thana reviews the case with directions and a due date, the IO reports each direction
complied with. Each use case is atomic and appends its audit event in the same transaction.

Who may do what (on top of seeing the case, ``core.cases.access``):

- a progress report: the holder of the IO's post, or an officer holding a post in the thana;
- a review: a supervisor over the thana (the SHO heading it, the inspector of a circle over it,
  the SDPO of its sub-division, the SP or an Addl. SP), acting as the supervising post; seeing the
  case as its IO gives no right to review it, and nobody reviews as the IO's own post;
- compliance: the holder of the IO's post.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.base.access import Viewer
from core.base.actors import as_post
from core.base.audit import Actor, audit_append
from core.base.text import clean_text
from core.cases.services.register import case_locked
from core.models import Case, CaseProgress, CaseReview, Post

TEXT_MAX = 20000


def progress_post_id(viewer: Viewer, case: Case) -> int | None:
    """The post the viewer reports progress as: the IO's post if they hold it, else their post in
    the case's thana (the lowest id); None if they may not report."""
    if viewer.holds(case.io_post_id):
        return case.io_post_id
    if not viewer.post_ids:
        return None
    return (
        Post.objects.filter(pk__in=viewer.post_ids, office_id=case.thana_id)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )


def review_post_id(viewer: Viewer, case: Case) -> int | None:
    """The supervising post the viewer reviews the case as: the narrowest post supervising its
    thana, else their SP or Addl. SP post; never the IO's own post. None if they supervise no
    such thing."""
    for post_id, scope in viewer.supervising:
        if case.thana_id in scope and post_id != case.io_post_id:
            return post_id
    if viewer.district_post_id is not None and viewer.district_post_id != case.io_post_id:
        return viewer.district_post_id
    return None


def comply_post_id(viewer: Viewer, case: Case) -> int | None:
    """The IO's post, if the viewer holds it (only the IO reports directions complied with)."""
    return case.io_post_id if viewer.holds(case.io_post_id) else None


def _locked_case(actor: Actor, case: Case, rule, refusal: str) -> tuple[Case, int]:
    return case_locked(actor, case, rule=rule, refusal=refusal, code="not_allowed")


def _check_past_date(value: datetime.date, *, field: str, case: Case, future: str, early: str) -> None:
    """A date that is not in the future (``future`` refusal) and not before the case was
    registered (``early``, given the registration date)."""
    if value > timezone.localdate():
        raise ValidationError({field: [future]})
    if value < case.registered_on:
        raise ValidationError(
            {field: [early % {"date": formats.date_format(case.registered_on, "DATE_FORMAT")}]}
        )


@transaction.atomic
def case_progress_add(
    *, actor: Actor, case: Case, reported_on: datetime.date, done: str, next_steps: str = ""
) -> CaseProgress:
    """Add a progress report to the case: what was done and the next steps, dated no later than
    today and not before the case was registered. Called by the holder of the IO's post or an
    officer of the case's thana (acting as that post)."""
    locked, post_id = _locked_case(
        actor,
        case,
        progress_post_id,
        _("Only the investigating officer or an officer of the thana may report progress."),
    )
    _check_past_date(
        reported_on,
        field="reported_on",
        case=locked,
        future=_("The date of the report cannot be in the future."),
        early=_("The date of the report cannot be before the case was registered (%(date)s)."),
    )
    done = clean_text(done, field="done", max_length=TEXT_MAX)
    next_steps = clean_text(next_steps, field="next_steps", required=False, max_length=TEXT_MAX)
    report = CaseProgress.objects.create(
        case=locked,
        reported_on=reported_on,
        done=done,
        next_steps=next_steps,
        by=actor.person,
        post_id=post_id,
    )
    audit_append(
        actor=as_post(actor, post_id),
        action="case.progress",
        target=locked,
        summary=f"{locked.label}: {reported_on.isoformat()}",
        details={"progress": report.pk, "reported_on": reported_on.isoformat()},
    )
    return report


@transaction.atomic
def case_review_add(
    *, actor: Actor, case: Case, reviewed_on: datetime.date, directions: str, due_on: datetime.date
) -> CaseReview:
    """Record a supervisor's review of the case with directions to the IO, due by ``due_on``
    (today or later, not before the review). The review is dated no later than today and not
    before the case was registered. Called by a supervisor over the case's thana, acting as the
    supervising post."""
    locked, post_id = _locked_case(
        actor, case, review_post_id, _("Only a supervising officer over the thana may review this case.")
    )
    _check_past_date(
        reviewed_on,
        field="reviewed_on",
        case=locked,
        future=_("The date of the review cannot be in the future."),
        early=_("The date of the review cannot be before the case was registered (%(date)s)."),
    )
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": [_("The date the directions are due cannot be in the past.")]})
    directions = clean_text(directions, field="directions", max_length=TEXT_MAX)
    review = CaseReview.objects.create(
        case=locked,
        reviewed_on=reviewed_on,
        directions=directions,
        due_on=due_on,
        by=actor.person,
        post_id=post_id,
    )
    audit_append(
        actor=as_post(actor, post_id),
        action="case.review",
        target=locked,
        summary=f"{locked.label}: {reviewed_on.isoformat()}",
        details={"review": review.pk, "reviewed_on": reviewed_on.isoformat(), "due_on": due_on.isoformat()},
    )
    return review


@transaction.atomic
def case_direction_comply(
    *, actor: Actor, case: Case, review: CaseReview, complied_on: datetime.date, note: str
) -> CaseReview:
    """Mark a review's directions complied with, on ``complied_on`` (not in the future, not before
    the review), with a note of what was done. Refuses a review of another case and one already
    complied with. Called by the holder of the case's IO post."""
    locked, post_id = _locked_case(
        actor, case, comply_post_id, _("Only the investigating officer may report directions complied with.")
    )
    row = CaseReview.objects.select_for_update().filter(pk=review.pk, case=locked).first()
    if row is None:
        raise ValidationError(_("This review is not of this case."), code="wrong_case")
    if row.complied_on is not None:
        raise ValidationError(_("These directions are already marked complied with."), code="complied")
    if complied_on > timezone.localdate():
        raise ValidationError({"complied_on": [_("The date of compliance cannot be in the future.")]})
    if complied_on < row.reviewed_on:
        raise ValidationError(
            {
                "complied_on": [
                    _("The date of compliance cannot be before the review (%(date)s).")
                    % {"date": formats.date_format(row.reviewed_on, "DATE_FORMAT")}
                ]
            }
        )
    row.compliance_note = clean_text(note, field="note", max_length=TEXT_MAX)
    row.complied_on = complied_on
    row.save(update_fields=["complied_on", "compliance_note"])
    audit_append(
        actor=as_post(actor, post_id),
        action="case.direction_comply",
        target=locked,
        summary=f"{locked.label}: {complied_on.isoformat()}",
        details={"review": row.pk, "complied_on": complied_on.isoformat(), "due_on": row.due_on.isoformat()},
    )
    return row


__all__ = [
    "case_direction_comply",
    "case_progress_add",
    "case_review_add",
    "comply_post_id",
    "progress_post_id",
    "review_post_id",
]
