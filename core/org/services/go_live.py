"""Going live: the one way an office starts working on e-Office, whoever starts it.

The district admin (``district_admin.views.readiness``) and the state console
(``state_admin.services.rollouts``: a phase's go-live, its override and the daily run) all call
``office_go_live``, so every go-live is an event in the district's own hash-chained trail.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.audit import Actor, audit_append
from core.models import Office
from core.org.selectors.readiness import office_readiness_gaps, readiness_item_labels

# An override reason must say something: "ok" or "urgent" is not a reason.
OVERRIDE_MIN_WORDS = 3


@transaction.atomic
def office_go_live(
    *,
    actor: Actor | None,
    office: Office,
    on: datetime.date | None = None,
    override_reason: str = "",
) -> Office:
    """Take an office live (working on e-Office from ``on``, today by default).

    An office whose readiness checklist is complete goes live at once. One that lacks items goes
    live only with a written ``override_reason`` (a few words at least), kept in
    ``Office.go_live_override``; without one it is refused with the missing items named. A
    closed office is refused. An office already live is returned unchanged, with no event, so a
    repeated run changes nothing. Audited ``office.go_live`` or ``office.go_live_override`` in
    the district's trail in the same transaction; ``actor`` None records the system (the daily
    rollout run). Run under the office's district schema; callers check that the actor may take
    the office live (a district admin, platform staff).
    """
    locked = Office.objects.select_for_update().get(pk=office.pk)
    if locked.status == Office.Status.LIVE:
        return locked
    if locked.status == Office.Status.CLOSED:
        raise ValidationError(_("%(office)s is closed and cannot go live.") % {"office": locked.name})
    gaps = office_readiness_gaps(locked)
    reason = " ".join(override_reason.split())
    if gaps and not reason:
        raise ValidationError(
            {
                "override_reason": [
                    _("The checklist is not complete (missing: %(items)s): write why it goes live anyway.")
                    % {"items": ", ".join(readiness_item_labels(gaps))}
                ]
            }
        )
    if gaps and len(reason.split()) < OVERRIDE_MIN_WORDS:
        raise ValidationError(
            {
                "override_reason": [
                    _("Write the reason for going live without a complete checklist in a few words.")
                ]
            }
        )
    locked.status = Office.Status.LIVE
    locked.went_live_on = on or timezone.localdate()
    locked.go_live_override = reason if gaps else ""
    locked.save(update_fields=["status", "went_live_on", "go_live_override"])
    audit_append(
        actor=actor,
        action="office.go_live_override" if gaps else "office.go_live",
        target=locked,
        summary=_("%(office)s went live") % {"office": locked.name},
        details={
            "went_live_on": locked.went_live_on,
            "missing": gaps,
            "override_reason": locked.go_live_override,
        },
    )
    office.status, office.went_live_on, office.go_live_override = (
        locked.status,
        locked.went_live_on,
        locked.go_live_override,
    )
    return locked
