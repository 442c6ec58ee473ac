"""The public information officer's decisions on an application, and the payment they wait for:
a further fee asked (s.7(3)) and paid, a third party notified (s.11(1)), the application
transferred to another public authority (s.6(3)). Each is atomic, locks the application, refuses
a change its status does not allow and appends its audit event in the same transaction.

Asking a fee, notifying a third party and transferring need the PIO's post or a supervisor over
the office that received the application (``rti_decision_post_id``); the payment of a fee may be
recorded by whoever may see the application."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.base.audit import Actor
from core.base.text import clean_text
from core.models import RtiApplication
from core.rti.services.changes import (
    application_clocks,
    application_locked,
    change_audit,
    day_check,
    day_text,
    deadline_details,
    status_awaiting,
    status_refusal,
)

FEE_MAX = Decimal("9999999.99")
TRANSFERRED_TO_MAX = 300


@transaction.atomic
def rti_fee_ask(
    *, actor: Actor, application: RtiApplication, amount: Decimal, asked_on: datetime.date
) -> RtiApplication:
    """Record that the PIO asked for a further fee (s.7(3)) of ``amount`` on ``asked_on``: the
    status becomes "further fee pending" and the reply clock pauses until payment. Refuses a
    second asking, an amount not above nothing, a BPL applicant, a date in the future or before
    receipt, and an application that no longer awaits a reply. Called by the PIO's post or a
    supervisor over the office."""
    locked, post_id = application_locked(actor, application, decision=True)
    if locked.further_fee_asked_on is not None:
        raise ValidationError(
            _("A further fee was already asked for on %(date)s.")
            % {"date": day_text(locked.further_fee_asked_on)}
        )
    if locked.status not in (RtiApplication.Status.RECEIVED, RtiApplication.Status.THIRD_PARTY):
        raise status_refusal(_("A further fee cannot be asked for: the application is “%(status)s”."), locked)
    if locked.fee == RtiApplication.Fee.BPL:
        raise ValidationError(_("The applicant is below the poverty line and pays no fee."), code="bpl")
    if amount is None or amount <= 0:
        raise ValidationError({"amount": [_("Give an amount above ₹0.")]})
    if amount > FEE_MAX:
        raise ValidationError({"amount": [_("Give an amount of at most ₹%(max)s.") % {"max": FEE_MAX}]})
    day_check(
        asked_on,
        field="asked_on",
        not_before=locked.received_on,
        message=_("The fee cannot be asked for before the application was received (%(date)s)."),
    )
    locked.further_fee_amount = amount
    locked.further_fee_asked_on = asked_on
    locked.status = RtiApplication.Status.FEE_PENDING
    locked.save(update_fields=["further_fee_amount", "further_fee_asked_on", "status"])
    change_audit(actor, post_id, "rti.fee_ask", locked, amount=str(amount), asked_on=asked_on.isoformat())
    return locked


@transaction.atomic
def rti_fee_paid(*, actor: Actor, application: RtiApplication, paid_on: datetime.date) -> RtiApplication:
    """Record the payment of the further fee on ``paid_on``: the reply clock runs again, with the
    days from the asking to the payment left out; the status goes back to received, or to third
    party notified when a third party was. Refuses when no fee is pending, a date in the future or
    before the asking. Called by whoever may see the application."""
    locked, post_id = application_locked(actor, application)
    if locked.further_fee_asked_on is None or locked.further_fee_paid_on is not None:
        raise ValidationError(_("No further fee is pending on this application."), code="no_fee_pending")
    day_check(
        paid_on,
        field="paid_on",
        not_before=locked.further_fee_asked_on,
        message=_("The fee cannot be paid before it was asked for (%(date)s)."),
    )
    locked.further_fee_paid_on = paid_on
    if locked.status == RtiApplication.Status.FEE_PENDING:
        locked.status = status_awaiting(locked)
    locked.save(update_fields=["further_fee_paid_on", "status"])
    clocks = application_clocks(locked)
    change_audit(
        actor,
        post_id,
        "rti.fee_paid",
        locked,
        paid_on=paid_on.isoformat(),
        days_excluded=clocks.fee_pause.days_excluded if clocks.fee_pause else 0,
        reply_due_on=clocks.reply.due_on.isoformat() if clocks.reply.due_on else None,
    )
    return locked


@transaction.atomic
def rti_transfer(
    *, actor: Actor, application: RtiApplication, transferred_to: str, transferred_on: datetime.date
) -> RtiApplication:
    """Record the transfer of the application to another public authority (s.6(3)) on
    ``transferred_on``: the status becomes transferred and no reply is awaited here. A transfer
    later than 5 days from receipt is recorded, not refused; the audit event says it was late.
    Refuses a missing authority, a date in the future or before receipt, and an application
    already transferred, replied or rejected. Called by the PIO's post or a supervisor over the
    office."""
    locked, post_id = application_locked(actor, application, decision=True)
    if locked.status in RtiApplication.CLOSED_STATUSES:
        raise status_refusal(_("The application cannot be transferred: it is “%(status)s”."), locked)
    transferred_to = clean_text(transferred_to, field="transferred_to", max_length=TRANSFERRED_TO_MAX)
    day_check(
        transferred_on,
        field="transferred_on",
        not_before=locked.received_on,
        message=_("The application cannot be transferred before it was received (%(date)s)."),
    )
    locked.transferred_to = transferred_to
    locked.transferred_on = transferred_on
    locked.status = RtiApplication.Status.TRANSFERRED
    locked.save(update_fields=["transferred_to", "transferred_on", "status"])
    transfer = application_clocks(locked).transfer
    change_audit(
        actor,
        post_id,
        "rti.transfer",
        locked,
        transferred_to=transferred_to,
        transferred_on=transferred_on.isoformat(),
        **deadline_details(transfer),
    )
    return locked


@transaction.atomic
def rti_third_party_notify(
    *, actor: Actor, application: RtiApplication, notified_on: datetime.date
) -> RtiApplication:
    """Record that a third party was notified (s.11(1)) on ``notified_on``: the reply is now due
    40 days from receipt (s.11(3)) and the status becomes third party notified (it stays further
    fee pending while a fee is unpaid). Refuses a second notice, a date in the future or before
    receipt, and an application that no longer awaits a reply. Called by the PIO's post or a
    supervisor over the office."""
    locked, post_id = application_locked(actor, application, decision=True)
    if locked.third_party_notified_on is not None:
        raise ValidationError(
            _("A third party was already notified on %(date)s.")
            % {"date": day_text(locked.third_party_notified_on)}
        )
    if locked.status not in (RtiApplication.Status.RECEIVED, RtiApplication.Status.FEE_PENDING):
        raise status_refusal(_("A third party cannot be notified: the application is “%(status)s”."), locked)
    day_check(
        notified_on,
        field="notified_on",
        not_before=locked.received_on,
        message=_("A third party cannot be notified before the application was received (%(date)s)."),
    )
    locked.third_party_notified_on = notified_on
    locked.status = status_awaiting(locked)
    locked.save(update_fields=["third_party_notified_on", "status"])
    reply = application_clocks(locked).reply
    change_audit(
        actor,
        post_id,
        "rti.third_party_notify",
        locked,
        notified_on=notified_on.isoformat(),
        reply_due_on=reply.due_on.isoformat() if reply.due_on else None,
    )
    return locked
