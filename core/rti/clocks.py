"""The statutory clocks of an RTI application, computed from its dates.

Pure: ``rti_clocks(facts, today=...)`` reads nothing but its arguments, so the application page,
the daily reminders and the monthly register all get the same dates, and the tests check them
against worked examples. Every deadline carries the rule that produced it (a translatable label)
and the sections of the Right to Information Act, 2005 it rests on.

How days are counted (the one convention, applied to every clock):

- "Within N days from X" means the last day is X + N calendar days: the day of X itself is not
  counted (General Clauses Act, 1897, s.9) and the Nth day after it is the last day on which the
  act is in time. Received 31 January 2025, reply due 2 March 2025; received 30 January 2024,
  reply due 29 February 2024. Sundays and holidays are counted; the Act does not exclude them.
- ``received_on`` is the day the application reached the public authority: the APIO's day of
  receipt when it came through an APIO, the day this authority received it when another authority
  transferred it here (s.6(3): the clock runs from the transferee's receipt).
- The 48-hour rule (proviso to s.7(1)) gives a moment, not a day: 48 hours after the time of
  receipt, in India's time (IST, no daylight saving, so 48 hours of wall clock are 48 hours).
  When the time of receipt is not recorded it is counted from the start of the day of receipt,
  which can only make the deadline earlier than the law's, never later.

The rules:

- Reply: 30 days from receipt (s.7(1)); 48 hours when the information concerns the life or
  liberty of a person (proviso to s.7(1)); 40 days when it is third-party information the PIO
  intends to disclose (s.11(3), which applies "notwithstanding anything contained in section 7",
  so it governs even when life or liberty is also claimed). Received through an APIO: 5 more
  days on whichever of these applies (s.5(2) proviso; DoPT's guide adds them to the 48 hours too).
- Further fee (s.7(3)): the period between sending the intimation and the payment does not count.
  Precisely: the day the intimation was sent counts; the following days up to and including the
  day of payment do not; the clock runs again from the day after payment. So the reply is due
  ``fee_paid_on - fee_asked_on`` days later than without the fee (asked on day 10, paid on day 20:
  10 days later). Asked and not yet paid: the clock is paused and there is no reply due date.
  The pause applies to the clocks counted in days (30, 35, 40, 45); it does not stretch the
  48-hour clock, which s.7(3) does not mention. A fee asked after the reply was already due does
  not pause anything: the period had run out (and s.7(6) then makes the information free).
- Transfer (s.6(3)): to another public authority within 5 days of receipt (the APIO's 5 days are
  not added; they are for the reply). The clock closes when the application is transferred or
  answered; past its day it only says the window to transfer has closed.
- Deemed refusal (s.7(2)): no reply by the due date means the application stands refused from
  the day after it (for the 48-hour rule, from the due moment, so from its day).
- First appeal (s.19(1)): within 30 days of the reply, or, when no reply came in time, "within
  thirty days from the expiry of such period": the reply due date + 30 days, which is 29 days
  after the deemed refusal date. A reply that came late still opens 30 days from the reply.
  The register knows the day the reply was sent, not the day the applicant got it; postal delay
  is for the appellate authority to condone (proviso to s.19(1)).
- First appeal decision (s.19(6)): within 30 days of its receipt, or 45 when the appellate
  authority records its reasons for the longer period in writing.

Status: each clock says its days left (negative once past), whether it is overdue (still open
past its date) and, once done, whether it was done late.
"""

import math
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

INDIA = ZoneInfo("Asia/Kolkata")

REPLY_DAYS = 30
THIRD_PARTY_DAYS = 40
LIFE_OR_LIBERTY = timedelta(hours=48)
APIO_EXTRA_DAYS = 5
TRANSFER_DAYS = 5
APPEAL_DAYS = 30
APPEAL_DECISION_DAYS = 30
APPEAL_DECISION_DAYS_WITH_REASONS = 45

REPLY_30 = _("Reply due: 30 days from receipt (RTI Act s.7(1))")
REPLY_30_APIO = _("Reply due: 30 days from receipt and 5 more through an APIO (RTI Act s.7(1), s.5(2))")
REPLY_48H = _("Reply due: 48 hours from receipt, life or liberty of a person (RTI Act s.7(1) proviso)")
REPLY_48H_APIO = _(
    "Reply due: 48 hours from receipt and 5 more days through an APIO, life or liberty of a person "
    "(RTI Act s.7(1) proviso, s.5(2))"
)
REPLY_40 = _("Reply due: 40 days from receipt, third-party information (RTI Act s.11(3))")
REPLY_40_APIO = _(
    "Reply due: 40 days from receipt and 5 more through an APIO, third-party information "
    "(RTI Act s.11(3), s.5(2))"
)
FEE_PAUSE = _(
    "Further fee: the days after the intimation was sent, up to and including the day of payment, "
    "do not count (RTI Act s.7(3))"
)
NOTE_FEE_UNPAID = _(
    "Paused: a further fee was asked and is not yet paid, so no reply date yet (RTI Act s.7(3))"
)
NOTE_FEE_LATE = _("The further fee was asked after the reply was due, so the clock was not paused")
NOTE_FEE_48H = _("A further fee does not pause the 48-hour clock (RTI Act s.7(3) pauses the days)")
NOTE_TIME_UNKNOWN = _("Time of receipt not recorded: counted from the start of the day of receipt")
TRANSFER = _("Transfer to another public authority: within 5 days of receipt (RTI Act s.6(3))")
APPEAL_FROM_REPLY = _("First appeal: within 30 days of the reply (RTI Act s.19(1))")
APPEAL_FROM_DEEMED_REFUSAL = _(
    "First appeal: within 30 days from the end of the reply period, no reply having come "
    "(deemed refusal, RTI Act s.19(1), s.7(2))"
)
APPEAL_DECISION_30 = _("First appeal decision: within 30 days of its receipt (RTI Act s.19(6))")
APPEAL_DECISION_45 = _(
    "First appeal decision: within 45 days of its receipt, reasons recorded in writing (RTI Act s.19(6))"
)


class RtiFactsError(ValueError):
    """The dates of an application contradict each other (a payment before the fee was asked)."""


@dataclass(frozen=True, kw_only=True)
class RtiFacts:
    """What the register knows about one application: the dates the clocks run from."""

    received_on: date
    received_at: time | None = None
    via_apio: bool = False
    life_or_liberty: bool = False
    third_party: bool = False
    fee_asked_on: date | None = None
    fee_paid_on: date | None = None
    transferred_on: date | None = None
    replied_on: date | None = None
    appeal_received_on: date | None = None
    appeal_reasons_recorded: bool = False
    appeal_decided_on: date | None = None

    def __post_init__(self):
        if self.fee_paid_on and not self.fee_asked_on:
            raise RtiFactsError(gettext("A further fee cannot be paid before it is asked for."))
        if self.fee_paid_on and self.fee_paid_on < self.fee_asked_on:
            raise RtiFactsError(gettext("The further fee cannot be paid before the day it was asked for."))
        if self.appeal_decided_on and not self.appeal_received_on:
            raise RtiFactsError(gettext("A first appeal cannot be decided before it is received."))
        if self.appeal_decided_on and self.appeal_decided_on < self.appeal_received_on:
            raise RtiFactsError(gettext("A first appeal cannot be decided before the day it was received."))
        for later in (self.fee_asked_on, self.transferred_on, self.replied_on, self.appeal_received_on):
            if later and later < self.received_on:
                raise RtiFactsError(gettext("No date of an application can come before its receipt."))


@dataclass(frozen=True, kw_only=True)
class Clock:
    """One deadline: its last day (and moment, for the 48-hour rule), the rule that set it, and
    where it stands on the day asked about."""

    rule: Promise
    sections: tuple[str, ...]
    due_on: date | None
    due_at: datetime | None = None
    done_on: date | None = None
    days_left: int | None = None
    # The 48-hour rule only, while open and not yet overdue: whole hours to the due moment,
    # rounded up (so "1 hour left" until the moment itself).
    hours_left: int | None = None
    overdue: bool = False
    late: bool = False
    paused: bool = False
    note: Promise | None = None


@dataclass(frozen=True, kw_only=True)
class FeePause:
    """The further-fee pause: asked, paid (None while unpaid) and the days that did not count."""

    asked_on: date
    paid_on: date | None
    days_excluded: int | None
    rule: Promise = FEE_PAUSE
    sections: tuple[str, ...] = ("7(3)",)


@dataclass(frozen=True, kw_only=True)
class Clocks:
    """Every clock of one application. ``first_appeal`` is None until there is a reply or a
    deemed refusal to appeal from; ``appeal_decision`` until an appeal is received."""

    reply: Clock
    transfer: Clock
    fee_pause: FeePause | None
    deemed_refused_on: date | None
    first_appeal: Clock | None
    appeal_decision: Clock | None

    @property
    def deemed_refused(self) -> bool:
        """Refused by silence now: the reply period ran out and still no reply."""
        return self.deemed_refused_on is not None and self.reply.done_on is None


def rti_clocks(facts: RtiFacts, *, today: date, now: datetime | None = None) -> Clocks:
    """The clocks of one application as they stand on ``today``. ``now`` (aware) makes the
    48-hour clock overdue to the minute; without it that clock is overdue from the next day."""
    if facts.life_or_liberty and not facts.third_party:
        reply, fee_pause = _reply_clock_48_hours(facts, today=today, now=now), None
    else:
        reply, fee_pause = _reply_clock_days(facts, today=today)
    deemed_refused_on = _deemed_refused_on(reply)
    return Clocks(
        reply=reply,
        transfer=_clock(
            rule=TRANSFER,
            sections=("6(3)",),
            due_on=facts.received_on + timedelta(days=TRANSFER_DAYS),
            done_on=_earliest(facts.transferred_on, facts.replied_on),
            today=today,
        ),
        fee_pause=fee_pause,
        deemed_refused_on=deemed_refused_on,
        first_appeal=_first_appeal_clock(facts, reply, deemed_refused_on, today=today),
        appeal_decision=_appeal_decision_clock(facts, today=today),
    )


def _reply_clock_days(facts: RtiFacts, *, today: date) -> tuple[Clock, FeePause | None]:
    """The reply clock counted in days (30, or 40 for third-party information, each with the
    APIO's 5), and the further-fee pause when one applies."""
    if facts.third_party:
        days, rule, sections = THIRD_PARTY_DAYS, REPLY_40, ("11(3)",)
    else:
        days, rule, sections = REPLY_DAYS, REPLY_30, ("7(1)",)
    if facts.via_apio:
        days += APIO_EXTRA_DAYS
        rule = REPLY_40_APIO if facts.third_party else REPLY_30_APIO
        sections += ("5(2)",)
    due_on = facts.received_on + timedelta(days=days)
    asked_on, paid_on = facts.fee_asked_on, facts.fee_paid_on
    if not asked_on or asked_on > due_on:
        note = NOTE_FEE_LATE if asked_on else None
        clock = _clock(
            rule=rule, sections=sections, due_on=due_on, done_on=facts.replied_on, note=note, today=today
        )
        return clock, None
    pause = FeePause(
        asked_on=asked_on, paid_on=paid_on, days_excluded=(paid_on - asked_on).days if paid_on else None
    )
    clock = _clock(
        rule=rule,
        sections=sections + ("7(3)",),
        due_on=due_on + timedelta(days=pause.days_excluded) if paid_on else None,
        done_on=facts.replied_on,
        paused=not paid_on,
        note=None if paid_on else NOTE_FEE_UNPAID,
        today=today,
    )
    return clock, pause


def _reply_clock_48_hours(facts: RtiFacts, *, today: date, now: datetime | None) -> Clock:
    """The life-or-liberty clock: a moment 48 hours after receipt (plus the APIO's 5 days)."""
    start = datetime.combine(facts.received_on, facts.received_at or time(0, 0), tzinfo=INDIA)
    due_at = start + LIFE_OR_LIBERTY
    rule, sections = REPLY_48H, ("7(1)",)
    if facts.via_apio:
        due_at += timedelta(days=APIO_EXTRA_DAYS)
        rule, sections = REPLY_48H_APIO, ("7(1)", "5(2)")
    note = NOTE_FEE_48H if facts.fee_asked_on else NOTE_TIME_UNKNOWN if facts.received_at is None else None
    clock = _clock(
        rule=rule, sections=sections, due_on=due_at.date(), done_on=facts.replied_on, note=note, today=today
    )
    if now is not None and clock.done_on is None:
        clock = replace(clock, overdue=now > due_at)
        if not clock.overdue:
            clock = replace(clock, hours_left=math.ceil((due_at - now).total_seconds() / 3600))
    return replace(clock, due_at=due_at)


def _deemed_refused_on(reply: Clock) -> date | None:
    """The first day the application stood refused for want of a reply (s.7(2)), once it has:
    the day after the due date, or, for the 48-hour rule, the day of the due moment."""
    if reply.due_on is None or not (reply.overdue or reply.late):
        return None
    if reply.due_at is not None:
        return reply.due_on
    return reply.due_on + timedelta(days=1)


def _first_appeal_clock(
    facts: RtiFacts, reply: Clock, deemed_refused_on: date | None, *, today: date
) -> Clock | None:
    if facts.replied_on:
        rule, sections, start = APPEAL_FROM_REPLY, ("19(1)",), facts.replied_on
    elif deemed_refused_on:
        rule, sections, start = APPEAL_FROM_DEEMED_REFUSAL, ("19(1)", "7(2)"), reply.due_on
    else:
        return None
    return _clock(
        rule=rule,
        sections=sections,
        due_on=start + timedelta(days=APPEAL_DAYS),
        done_on=facts.appeal_received_on,
        today=today,
    )


def _appeal_decision_clock(facts: RtiFacts, *, today: date) -> Clock | None:
    if not facts.appeal_received_on:
        return None
    if facts.appeal_reasons_recorded:
        days, rule = APPEAL_DECISION_DAYS_WITH_REASONS, APPEAL_DECISION_45
    else:
        days, rule = APPEAL_DECISION_DAYS, APPEAL_DECISION_30
    return _clock(
        rule=rule,
        sections=("19(6)",),
        due_on=facts.appeal_received_on + timedelta(days=days),
        done_on=facts.appeal_decided_on,
        today=today,
    )


def _clock(
    *,
    rule: Promise,
    sections: tuple[str, ...],
    due_on: date | None,
    today: date,
    done_on: date | None = None,
    paused: bool = False,
    note: Promise | None = None,
) -> Clock:
    """A clock with its standing on ``today``: days left while open, overdue once open past its
    day, late once done after it."""
    open_ = done_on is None
    return Clock(
        rule=rule,
        sections=sections,
        due_on=due_on,
        done_on=done_on,
        days_left=(due_on - today).days if open_ and due_on else None,
        overdue=bool(open_ and due_on and today > due_on),
        late=bool(not open_ and due_on and done_on > due_on),
        paused=paused,
        note=note,
    )


def _earliest(*days: date | None) -> date | None:
    present = [day for day in days if day]
    return min(present) if present else None
