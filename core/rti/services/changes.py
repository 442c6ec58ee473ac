"""The steps every change to an RTI application shares: lock it for the actor (refused unless
they may see it, or for the PIO's decisions unless they hold the PIO's post or supervise the
office), read its statutory clocks, check the day a change is dated, refuse a status that does not
allow the change, and append the change's audit event. The services in ``core.rti.services.applications``,
``core.rti.services.decisions`` and ``core.rti.services.appeals`` call these inside their own transactions."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.base.access import Viewer
from core.base.actors import actor_viewer, as_post
from core.base.audit import Actor, audit_append
from core.models import RtiApplication
from core.rti.access import rti_post_id, rti_visible_q
from core.rti.clocks import Clock, Clocks, RtiFactsError, rti_clocks

# Statuses in which a reply is still awaited from this authority (the deemed refusal can come).
AWAITING = (
    RtiApplication.Status.RECEIVED,
    RtiApplication.Status.FEE_PENDING,
    RtiApplication.Status.THIRD_PARTY,
)
# Statuses from which a first appeal lies (s.19(1)).
ANSWERED = (
    RtiApplication.Status.REPLIED,
    RtiApplication.Status.REJECTED,
    RtiApplication.Status.DEEMED_REFUSED,
)


def rti_decision_post_id(viewer: Viewer, application: RtiApplication) -> int | None:
    """The post that lets the viewer take the PIO's decisions on the application (ask a further
    fee, notify a third party, transfer it): the PIO's post if they hold it, else their narrowest
    post supervising the office that received it, else their SP or Addl. SP post; None if none."""
    if viewer.holds(application.pio_post_id):
        return application.pio_post_id
    for post_id, scope in viewer.supervising:
        if application.office_id in scope:
            return post_id
    return viewer.district_post_id


def application_locked(
    actor: Actor, application: RtiApplication, *, decision: bool = False
) -> tuple[RtiApplication, int]:
    """The application locked for a change, and the post the actor acts as; refused unless they
    may see it and, for the PIO's decisions, hold the PIO's post or supervise the office."""
    viewer = actor_viewer(actor) if actor.person else None
    locked = (
        RtiApplication.objects.select_for_update(of=("self",))
        .filter(rti_visible_q(viewer), pk=application.pk)
        .first()
        if viewer is not None
        else None
    )
    if locked is None:
        raise ValidationError(_("You may not change this RTI application."), code="not_your_application")
    post_id = rti_decision_post_id(viewer, locked) if decision else rti_post_id(viewer, locked)
    if post_id is None:
        raise ValidationError(
            _("Only the public information officer or an officer supervising the office may decide this."),
            code="not_the_pio",
        )
    return locked, post_id


def application_clocks(application: RtiApplication) -> Clocks:
    try:
        return rti_clocks(application.facts, today=timezone.localdate(), now=timezone.now())
    except RtiFactsError as error:
        raise ValidationError(str(error), code="dates_contradict") from error


def day_text(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def day_check(day: datetime.date, *, field: str, not_before: datetime.date, message: str) -> None:
    """Refuse a day in the future or before ``not_before`` (``message`` names that day)."""
    if day > timezone.localdate():
        raise ValidationError({field: [_("The date cannot be in the future.")]})
    if day < not_before:
        raise ValidationError({field: [message % {"date": day_text(not_before)}]})


def status_refusal(message: str, application: RtiApplication) -> ValidationError:
    return ValidationError(message % {"status": application.get_status_display()}, code="wrong_status")


def status_awaiting(application: RtiApplication) -> str:
    """The status of an application that awaits a reply, from what is recorded on it."""
    if application.further_fee_asked_on and not application.further_fee_paid_on:
        return RtiApplication.Status.FEE_PENDING
    if application.third_party_notified_on:
        return RtiApplication.Status.THIRD_PARTY
    return RtiApplication.Status.RECEIVED


def change_audit(actor: Actor, post_id: int, action: str, application: RtiApplication, **details) -> None:
    audit_append(
        actor=as_post(actor, post_id),
        action=action,
        target=application,
        summary=f"{application.number}: {application.status}",
        details={"status": application.status, **details},
    )


def deadline_details(clock: Clock) -> dict:
    """The audit details of a step with a time limit: the day it was due and whether it was late."""
    return {"due_on": clock.due_on.isoformat(), "late": clock.late}
