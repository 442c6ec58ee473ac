"""What follows a reply or its absence: the deemed refusal when the reply period runs out
(s.7(2)), and the first appeal (s.19(1)) received and decided (s.19(6)). Each change is atomic,
locks the application and appends its audit event in the same transaction.

The deemed refusal is nobody's decision: ``rti_deemed_refusals_mark`` is called by the daily RTI
task and records the system as the actor. A first appeal and its decision may be recorded by
whoever may see the application (``core.rti.access``)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.base.audit import Actor, audit_append
from core.models import RtiApplication
from core.rti.clocks import rti_clocks
from core.rti.services.changes import (
    ANSWERED,
    AWAITING,
    application_clocks,
    application_locked,
    change_audit,
    day_check,
    day_text,
    deadline_details,
)

# The earliest a reply can fall due: 48 hours after receipt (the life-or-liberty rule).
EARLIEST_DUE = datetime.timedelta(days=2)


def rti_deemed_refusals_mark(today: datetime.date) -> list[RtiApplication]:
    """Mark as deemed refused (s.7(2)) every application still awaiting a reply whose reply
    period, by ``core.rti.clocks``, ran out before ``today``: the day after the due date (for the
    48-hour rule, the day after the due moment's day). Idempotent: a marked application is not
    awaiting any more, so a second run marks nothing. Each mark is its own transaction, audited
    as the system (actor None). Returns the applications marked. Called by the daily RTI task."""
    candidates = RtiApplication.objects.filter(
        status__in=AWAITING, replied_on__isnull=True, received_on__lte=today - EARLIEST_DUE
    ).order_by("id")
    due = [
        application.pk
        for application in candidates
        if rti_clocks(application.facts, today=today).deemed_refused
    ]
    marked = []
    for pk in due:
        with transaction.atomic():
            locked = (
                RtiApplication.objects.select_for_update()
                .filter(pk=pk, status__in=AWAITING, replied_on__isnull=True)
                .first()
            )
            clocks = rti_clocks(locked.facts, today=today) if locked else None
            if clocks is None or not clocks.deemed_refused:
                continue
            locked.status = RtiApplication.Status.DEEMED_REFUSED
            locked.save(update_fields=["status"])
            audit_append(
                actor=None,
                action="rti.deemed_refused",
                target=locked,
                summary=f"{locked.number}: {locked.status}",
                details={
                    "reply_due_on": clocks.reply.due_on.isoformat(),
                    "deemed_refused_on": clocks.deemed_refused_on.isoformat(),
                    "today": today.isoformat(),
                },
            )
            marked.append(locked)
    return marked


@transaction.atomic
def rti_appeal_receive(
    *, actor: Actor, application: RtiApplication, received_on: datetime.date
) -> RtiApplication:
    """Record that a first appeal (s.19(1)) was received on ``received_on``: its decision is then
    due within 30 days. Only after a reply, a rejection or a deemed refusal (an application whose
    reply period ran out is marked deemed refused now, if the daily task has not yet). An appeal
    later than its 30 days is recorded, not refused (the appellate authority may condone the
    delay); the audit event says it was late. Refuses a second appeal, a date in the future or
    before the reply (or the deemed refusal). Called by whoever may see the application."""
    locked, post_id = application_locked(actor, application)
    if locked.appeal_received_on is not None:
        raise ValidationError(
            _("A first appeal was already received on %(date)s.")
            % {"date": day_text(locked.appeal_received_on)}
        )
    clocks = application_clocks(locked)
    refused_now = locked.status in AWAITING and clocks.deemed_refused
    if locked.status not in ANSWERED and not refused_now:
        raise ValidationError(
            _("A first appeal can be received only after a reply, a rejection or a deemed refusal."),
            code="nothing_to_appeal",
        )
    after = locked.replied_on or clocks.deemed_refused_on or locked.received_on
    day_check(
        received_on,
        field="received_on",
        not_before=after,
        message=_("A first appeal cannot be received before the reply or the deemed refusal (%(date)s)."),
    )
    if refused_now:
        locked.status = RtiApplication.Status.DEEMED_REFUSED
    locked.appeal_received_on = received_on
    locked.save(update_fields=["appeal_received_on", "status"])
    appeal = application_clocks(locked).first_appeal
    change_audit(
        actor,
        post_id,
        "rti.appeal_receive",
        locked,
        received_on=received_on.isoformat(),
        **deadline_details(appeal),
    )
    return locked


@transaction.atomic
def rti_appeal_decide(
    *,
    actor: Actor,
    application: RtiApplication,
    decided_on: datetime.date,
    reasons_recorded: bool = False,
) -> RtiApplication:
    """Record the decision of the first appeal on ``decided_on`` (s.19(6)): due within 30 days of
    its receipt, or 45 when the appellate authority recorded its reasons for the longer period
    (``reasons_recorded``). A late decision is recorded; the audit event says it was late.
    Refuses when no appeal awaits a decision, a date in the future or before the appeal was
    received. Called by whoever may see the application."""
    locked, post_id = application_locked(actor, application)
    if locked.appeal_received_on is None or locked.appeal_decided_on is not None:
        raise ValidationError(_("No first appeal awaits a decision."), code="no_appeal_pending")
    day_check(
        decided_on,
        field="decided_on",
        not_before=locked.appeal_received_on,
        message=_("A first appeal cannot be decided before it was received (%(date)s)."),
    )
    locked.appeal_decided_on = decided_on
    locked.appeal_reasons_recorded = bool(reasons_recorded)
    locked.save(update_fields=["appeal_decided_on", "appeal_reasons_recorded"])
    decision = application_clocks(locked).appeal_decision
    change_audit(
        actor,
        post_id,
        "rti.appeal_decide",
        locked,
        decided_on=decided_on.isoformat(),
        reasons_recorded=locked.appeal_reasons_recorded,
        **deadline_details(decision),
    )
    return locked
