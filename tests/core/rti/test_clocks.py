"""The RTI clocks against worked examples. Every expected date is written out by hand from a
calendar, never recomputed by the rule under test."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils.functional import Promise

from core.rti import clocks
from core.rti.clocks import RtiFacts, RtiFactsError, rti_clocks

IST = ZoneInfo("Asia/Kolkata")
LATER = date(2030, 1, 1)  # a day long after every example, for the questions that need a today


# Reply, 30 days from receipt (s.7(1)), with the APIO's 5 more (s.5(2)).


@pytest.mark.parametrize(
    ("received_on", "due_on"),
    [
        (date(2025, 1, 31), date(2025, 3, 2)),  # month end, February of 28 days
        (date(2024, 1, 30), date(2024, 2, 29)),  # leap year: the due day is 29 February
        (date(2024, 1, 31), date(2024, 3, 1)),  # leap year, month end
        (date(2025, 3, 15), date(2025, 4, 14)),
        (date(2024, 12, 15), date(2025, 1, 14)),  # across the year end
    ],
)
def test_reply_is_due_thirty_days_after_receipt(received_on, due_on):
    clock = rti_clocks(RtiFacts(received_on=received_on), today=received_on).reply
    assert clock.due_on == due_on
    assert clock.due_at is None
    assert clock.rule == clocks.REPLY_30
    assert clock.sections == ("7(1)",)


@pytest.mark.parametrize(
    ("received_on", "due_on"),
    [
        (date(2025, 1, 31), date(2025, 3, 7)),
        (date(2024, 1, 30), date(2024, 3, 5)),  # 29 February 2024 and 5 more
    ],
)
def test_application_through_an_apio_gets_five_more_days(received_on, due_on):
    clock = rti_clocks(RtiFacts(received_on=received_on, via_apio=True), today=received_on).reply
    assert clock.due_on == due_on
    assert clock.rule == clocks.REPLY_30_APIO
    assert clock.sections == ("7(1)", "5(2)")


# Life or liberty: 48 hours, a moment (proviso to s.7(1)).


@pytest.mark.parametrize(
    ("received_on", "received_at", "due_at"),
    [
        (date(2025, 1, 31), time(22, 30), datetime(2025, 2, 2, 22, 30, tzinfo=IST)),  # across midnight
        (date(2025, 2, 28), time(23, 15), datetime(2025, 3, 2, 23, 15, tzinfo=IST)),  # month end
        (date(2024, 2, 28), time(10, 0), datetime(2024, 3, 1, 10, 0, tzinfo=IST)),  # leap day in between
        (date(2024, 12, 31), time(18, 0), datetime(2025, 1, 2, 18, 0, tzinfo=IST)),  # year end
    ],
)
def test_life_or_liberty_reply_is_due_48_hours_after_receipt(received_on, received_at, due_at):
    facts = RtiFacts(received_on=received_on, received_at=received_at, life_or_liberty=True)
    clock = rti_clocks(facts, today=received_on).reply
    assert clock.due_at == due_at
    assert clock.due_on == due_at.date()
    assert clock.rule == clocks.REPLY_48H
    assert clock.note is None


def test_life_or_liberty_without_a_time_counts_from_the_start_of_the_day_and_says_so():
    clock = rti_clocks(RtiFacts(received_on=date(2025, 4, 30), life_or_liberty=True), today=LATER).reply
    assert clock.due_at == datetime(2025, 5, 2, 0, 0, tzinfo=IST)
    assert clock.note == clocks.NOTE_TIME_UNKNOWN


def test_life_or_liberty_through_an_apio_is_48_hours_and_five_days():
    facts = RtiFacts(
        received_on=date(2025, 2, 28), received_at=time(23, 15), life_or_liberty=True, via_apio=True
    )
    clock = rti_clocks(facts, today=date(2025, 2, 28)).reply
    assert clock.due_at == datetime(2025, 3, 7, 23, 15, tzinfo=IST)
    assert clock.rule == clocks.REPLY_48H_APIO
    assert clock.sections == ("7(1)", "5(2)")


def test_48_hour_clock_is_overdue_to_the_minute_when_given_the_time_now():
    facts = RtiFacts(received_on=date(2025, 2, 28), received_at=time(23, 15), life_or_liberty=True)
    before = rti_clocks(facts, today=date(2025, 3, 2), now=datetime(2025, 3, 2, 23, 14, tzinfo=IST))
    after = rti_clocks(facts, today=date(2025, 3, 2), now=datetime(2025, 3, 2, 23, 16, tzinfo=IST))
    assert (before.reply.overdue, before.deemed_refused) == (False, False)
    assert (after.reply.overdue, after.deemed_refused) == (True, True)
    assert after.deemed_refused_on == date(2025, 3, 2)
    assert after.first_appeal.due_on == date(2025, 4, 1)


def test_48_hour_clock_without_the_time_now_is_overdue_from_the_next_day():
    facts = RtiFacts(received_on=date(2025, 2, 28), received_at=time(23, 15), life_or_liberty=True)
    assert rti_clocks(facts, today=date(2025, 3, 2)).reply.overdue is False
    assert rti_clocks(facts, today=date(2025, 3, 3)).reply.overdue is True


def test_a_further_fee_does_not_pause_the_48_hour_clock():
    facts = RtiFacts(
        received_on=date(2025, 2, 28),
        received_at=time(23, 15),
        life_or_liberty=True,
        fee_asked_on=date(2025, 3, 1),
    )
    result = rti_clocks(facts, today=date(2025, 3, 1))
    assert result.reply.due_at == datetime(2025, 3, 2, 23, 15, tzinfo=IST)
    assert result.reply.paused is False
    assert result.reply.note == clocks.NOTE_FEE_48H
    assert result.fee_pause is None


# Third-party information: 40 days (s.11(3)).


@pytest.mark.parametrize(
    ("received_on", "via_apio", "due_on", "rule", "sections"),
    [
        (date(2025, 1, 31), False, date(2025, 3, 12), clocks.REPLY_40, ("11(3)",)),
        (date(2024, 1, 20), False, date(2024, 2, 29), clocks.REPLY_40, ("11(3)",)),  # leap day
        (date(2025, 1, 31), True, date(2025, 3, 17), clocks.REPLY_40_APIO, ("11(3)", "5(2)")),
    ],
)
def test_third_party_information_is_due_forty_days_after_receipt(
    received_on, via_apio, due_on, rule, sections
):
    clock = rti_clocks(
        RtiFacts(received_on=received_on, third_party=True, via_apio=via_apio), today=received_on
    ).reply
    assert (clock.due_on, clock.rule, clock.sections) == (due_on, rule, sections)


def test_third_party_rule_governs_even_when_life_or_liberty_is_claimed():
    facts = RtiFacts(
        received_on=date(2025, 1, 31), received_at=time(9, 0), life_or_liberty=True, third_party=True
    )
    clock = rti_clocks(facts, today=date(2025, 1, 31)).reply
    assert (clock.due_on, clock.due_at, clock.rule) == (date(2025, 3, 12), None, clocks.REPLY_40)


# Further fee (s.7(3)): the days after the intimation up to and including payment do not count.


def test_fee_asked_on_day_10_and_paid_on_day_20_pushes_the_reply_by_ten_days():
    facts = RtiFacts(
        received_on=date(2025, 3, 1), fee_asked_on=date(2025, 3, 11), fee_paid_on=date(2025, 3, 21)
    )
    result = rti_clocks(facts, today=date(2025, 3, 21))
    assert result.reply.due_on == date(2025, 4, 10)  # 31 March without the fee
    assert result.reply.sections == ("7(1)", "7(3)")
    assert result.reply.paused is False
    assert result.fee_pause.days_excluded == 10
    assert (result.fee_pause.asked_on, result.fee_pause.paid_on) == (date(2025, 3, 11), date(2025, 3, 21))
    assert result.fee_pause.rule == clocks.FEE_PAUSE


def test_fee_paid_the_day_it_was_asked_excludes_no_day():
    facts = RtiFacts(
        received_on=date(2025, 3, 1), fee_asked_on=date(2025, 3, 11), fee_paid_on=date(2025, 3, 11)
    )
    result = rti_clocks(facts, today=LATER)
    assert result.reply.due_on == date(2025, 3, 31)
    assert result.fee_pause.days_excluded == 0


def test_fee_pause_across_a_leap_february():
    facts = RtiFacts(
        received_on=date(2024, 1, 30), fee_asked_on=date(2024, 2, 9), fee_paid_on=date(2024, 3, 1)
    )
    result = rti_clocks(facts, today=LATER)
    assert result.fee_pause.days_excluded == 21
    assert result.reply.due_on == date(2024, 3, 21)  # 29 February without the fee


def test_fee_asked_on_the_due_date_still_pauses():
    facts = RtiFacts(
        received_on=date(2025, 3, 1), fee_asked_on=date(2025, 3, 31), fee_paid_on=date(2025, 4, 2)
    )
    assert rti_clocks(facts, today=LATER).reply.due_on == date(2025, 4, 2)


def test_fee_asked_and_not_paid_pauses_the_clock_with_no_reply_date():
    facts = RtiFacts(received_on=date(2025, 3, 1), fee_asked_on=date(2025, 3, 11))
    result = rti_clocks(facts, today=date(2025, 6, 1))  # long after 31 March
    assert result.reply.paused is True
    assert result.reply.due_on is None
    assert result.reply.days_left is None
    assert result.reply.overdue is False
    assert result.reply.note == clocks.NOTE_FEE_UNPAID
    assert result.fee_pause.days_excluded is None
    assert (result.deemed_refused, result.deemed_refused_on, result.first_appeal) == (False, None, None)


def test_fee_asked_after_the_reply_was_due_does_not_pause():
    facts = RtiFacts(received_on=date(2025, 3, 1), fee_asked_on=date(2025, 4, 5))
    result = rti_clocks(facts, today=date(2025, 4, 5))
    assert result.reply.due_on == date(2025, 3, 31)
    assert result.reply.paused is False
    assert result.reply.note == clocks.NOTE_FEE_LATE
    assert result.fee_pause is None
    assert result.deemed_refused_on == date(2025, 4, 1)


def test_apio_and_fee_pause_add_up():
    facts = RtiFacts(
        received_on=date(2025, 3, 1),
        via_apio=True,
        fee_asked_on=date(2025, 3, 11),
        fee_paid_on=date(2025, 3, 21),
    )
    clock = rti_clocks(facts, today=LATER).reply
    assert clock.due_on == date(2025, 4, 15)  # 5 April with the APIO's days, 10 more for the fee
    assert clock.sections == ("7(1)", "5(2)", "7(3)")


def test_third_party_apio_and_fee_pause_add_up():
    facts = RtiFacts(
        received_on=date(2025, 1, 31),
        via_apio=True,
        third_party=True,
        fee_asked_on=date(2025, 2, 10),
        fee_paid_on=date(2025, 2, 13),
    )
    assert rti_clocks(facts, today=LATER).reply.due_on == date(2025, 3, 20)  # 17 March and 3 days


# Transfer to another public authority within 5 days (s.6(3)).


@pytest.mark.parametrize(
    ("received_on", "due_on"),
    [(date(2025, 2, 28), date(2025, 3, 5)), (date(2024, 2, 27), date(2024, 3, 3))],
)
def test_transfer_is_due_five_days_after_receipt(received_on, due_on):
    clock = rti_clocks(RtiFacts(received_on=received_on, via_apio=True), today=received_on).transfer
    assert (clock.due_on, clock.rule, clock.sections) == (due_on, clocks.TRANSFER, ("6(3)",))
    assert clock.days_left == 5


def test_transfer_clock_closes_on_transfer_and_says_if_it_was_late():
    in_time = rti_clocks(
        RtiFacts(received_on=date(2025, 2, 28), transferred_on=date(2025, 3, 5)), today=LATER
    ).transfer
    late = rti_clocks(
        RtiFacts(received_on=date(2025, 2, 28), transferred_on=date(2025, 3, 6)), today=LATER
    ).transfer
    assert (in_time.done_on, in_time.late, in_time.overdue, in_time.days_left) == (
        date(2025, 3, 5),
        False,
        False,
        None,
    )
    assert (late.late, late.overdue) == (True, False)


def test_transfer_clock_closes_when_the_application_is_answered():
    facts = RtiFacts(received_on=date(2025, 2, 28), replied_on=date(2025, 3, 3))
    assert rti_clocks(facts, today=LATER).transfer.done_on == date(2025, 3, 3)


# Status, deemed refusal (s.7(2)) and the first appeal (s.19(1)).


@pytest.mark.parametrize(
    ("today", "days_left", "overdue", "deemed_refused_on"),
    [
        (date(2025, 3, 20), 11, False, None),
        (date(2025, 3, 31), 0, False, None),  # the due day itself is in time
        (date(2025, 4, 1), -1, True, date(2025, 4, 1)),
        (date(2025, 4, 30), -30, True, date(2025, 4, 1)),
    ],
)
def test_reply_status_on_a_given_day(today, days_left, overdue, deemed_refused_on):
    result = rti_clocks(RtiFacts(received_on=date(2025, 3, 1)), today=today)
    assert (result.reply.days_left, result.reply.overdue) == (days_left, overdue)
    assert result.deemed_refused_on == deemed_refused_on
    assert result.deemed_refused is overdue


@pytest.mark.parametrize(
    ("received_on", "deemed_refused_on", "appeal_due_on"),
    [
        (date(2025, 3, 1), date(2025, 4, 1), date(2025, 4, 30)),
        (date(2025, 1, 31), date(2025, 3, 3), date(2025, 4, 1)),  # due 2 March
        (date(2024, 1, 30), date(2024, 3, 1), date(2024, 3, 30)),  # due 29 February 2024
    ],
)
def test_no_reply_in_time_is_deemed_refusal_and_opens_the_first_appeal(
    received_on, deemed_refused_on, appeal_due_on
):
    result = rti_clocks(RtiFacts(received_on=received_on), today=LATER)
    assert result.deemed_refused is True
    assert result.deemed_refused_on == deemed_refused_on
    assert result.first_appeal.due_on == appeal_due_on
    assert result.first_appeal.rule == clocks.APPEAL_FROM_DEEMED_REFUSAL
    assert result.first_appeal.sections == ("19(1)", "7(2)")


def test_no_first_appeal_clock_before_a_reply_or_refusal():
    result = rti_clocks(RtiFacts(received_on=date(2025, 3, 1)), today=date(2025, 3, 31))
    assert (result.first_appeal, result.appeal_decision) == (None, None)


@pytest.mark.parametrize(
    ("replied_on", "appeal_due_on"),
    [
        (date(2025, 1, 31), date(2025, 3, 2)),
        (date(2024, 1, 30), date(2024, 2, 29)),
    ],
)
def test_first_appeal_is_due_thirty_days_after_the_reply(replied_on, appeal_due_on):
    facts = RtiFacts(received_on=date(replied_on.year, 1, 2), replied_on=replied_on)
    result = rti_clocks(facts, today=replied_on)
    assert result.reply.done_on == replied_on
    assert (result.reply.late, result.reply.days_left, result.deemed_refused_on) == (False, None, None)
    assert result.first_appeal.due_on == appeal_due_on
    assert result.first_appeal.rule == clocks.APPEAL_FROM_REPLY
    assert result.first_appeal.days_left == 30


def test_late_reply_was_deemed_refused_meanwhile_and_appeal_runs_from_the_reply():
    facts = RtiFacts(received_on=date(2025, 3, 1), replied_on=date(2025, 4, 4))
    result = rti_clocks(facts, today=LATER)
    assert (result.reply.late, result.reply.overdue) == (True, False)
    assert result.deemed_refused_on == date(2025, 4, 1)
    assert result.deemed_refused is False
    assert result.first_appeal.due_on == date(2025, 5, 4)


def test_first_appeal_received_after_its_day_is_late():
    facts = RtiFacts(
        received_on=date(2025, 1, 2), replied_on=date(2025, 1, 31), appeal_received_on=date(2025, 3, 3)
    )
    clock = rti_clocks(facts, today=LATER).first_appeal
    assert (clock.due_on, clock.done_on, clock.late) == (date(2025, 3, 2), date(2025, 3, 3), True)


# First appeal decided within 30 days, 45 with reasons recorded (s.19(6)).


@pytest.mark.parametrize(
    ("appeal_received_on", "reasons_recorded", "due_on", "rule"),
    [
        (date(2025, 1, 31), False, date(2025, 3, 2), clocks.APPEAL_DECISION_30),
        (date(2025, 1, 31), True, date(2025, 3, 17), clocks.APPEAL_DECISION_45),
        (date(2024, 2, 15), False, date(2024, 3, 16), clocks.APPEAL_DECISION_30),
        (date(2024, 2, 15), True, date(2024, 3, 31), clocks.APPEAL_DECISION_45),
    ],
)
def test_first_appeal_decision_due(appeal_received_on, reasons_recorded, due_on, rule):
    facts = RtiFacts(
        received_on=date(2024, 1, 2),
        replied_on=date(2024, 1, 20),
        appeal_received_on=appeal_received_on,
        appeal_reasons_recorded=reasons_recorded,
    )
    clock = rti_clocks(facts, today=appeal_received_on).appeal_decision
    assert (clock.due_on, clock.rule, clock.sections) == (due_on, rule, ("19(6)",))


@pytest.mark.parametrize(("reasons_recorded", "late"), [(False, True), (True, False)])
def test_appeal_decided_on_day_31_is_late_unless_reasons_were_recorded(reasons_recorded, late):
    facts = RtiFacts(
        received_on=date(2024, 1, 2),
        appeal_received_on=date(2024, 2, 15),
        appeal_reasons_recorded=reasons_recorded,
        appeal_decided_on=date(2024, 3, 17),
    )
    assert rti_clocks(facts, today=LATER).appeal_decision.late is late


def test_undecided_appeal_past_its_day_is_overdue():
    facts = RtiFacts(received_on=date(2024, 1, 2), appeal_received_on=date(2024, 2, 15))
    clock = rti_clocks(facts, today=date(2024, 3, 17)).appeal_decision
    assert (clock.overdue, clock.days_left) == (True, -1)


# Labels and facts.


def test_every_rule_label_is_translatable_and_names_its_section():
    labels = [value for name, value in vars(clocks).items() if name.isupper() and isinstance(value, Promise)]
    assert len(labels) == 16
    for label in labels:
        if not str(label).startswith(("The further fee", "Time of receipt")):
            assert "s." in str(label)


@pytest.mark.parametrize(
    "facts",
    [
        {"fee_paid_on": date(2025, 3, 5)},
        {"fee_asked_on": date(2025, 3, 10), "fee_paid_on": date(2025, 3, 9)},
        {"fee_asked_on": date(2025, 2, 28)},
        {"replied_on": date(2025, 2, 28)},
        {"transferred_on": date(2025, 2, 28)},
        {"appeal_received_on": date(2025, 2, 28)},
        {"appeal_decided_on": date(2025, 4, 1)},
        {"appeal_received_on": date(2025, 4, 2), "appeal_decided_on": date(2025, 4, 1)},
    ],
)
def test_contradictory_dates_are_refused(facts):
    with pytest.raises(RtiFactsError):
        RtiFacts(received_on=date(2025, 3, 1), **facts)


def test_facts_are_keyword_only():
    with pytest.raises(TypeError):
        RtiFacts(date(2025, 3, 1))
