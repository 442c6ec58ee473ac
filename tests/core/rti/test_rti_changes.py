"""The changes in an RTI application's life, through the services: the further fee asked and
paid, a third party notified, a transfer, the deemed refusal, the first appeal and its decision,
and changes of particulars. Each good change leaves its audit event; each refused one changes
nothing and leaves none."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import AuditEvent, RtiApplication
from core.rti import services
from core.rti.clocks import rti_clocks
from tenants.context import district_context
from tests.core.cases.casework import register
from tests.core.rti.test_rti_receive import receive, update

Status = RtiApplication.Status
TODAY = timezone.localdate()


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def events(application, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, target_id=str(application.pk)).order_by("id"))


def fields(error: ValidationError) -> set[str]:
    """The fields a refusal names ("__all__" for one about the whole change)."""
    return set(error.update_error_dict({}))


def answered(application, *, replied_on, status=Status.REPLIED) -> RtiApplication:
    """A reply recorded as the reply service (another slice) records it."""
    RtiApplication.objects.filter(pk=application.pk).update(status=status, replied_on=replied_on)
    application.refresh_from_db()
    return application


def test_a_further_fee_asked_by_the_pio_pauses_the_reply_clock_until_it_is_paid(ef):
    with district_context("vaishali"):
        application = receive(ef, received_on=ago(10))
        services.rti_fee_ask(
            actor=ef.actor("pio"), application=application, amount=Decimal("20"), asked_on=ago(8)
        )
        application.refresh_from_db()
        assert application.status == Status.FEE_PENDING
        assert application.further_fee_amount == Decimal("20.00")
        clocks = rti_clocks(application.facts, today=TODAY)
        assert clocks.reply.paused and clocks.reply.due_on is None
        [asked] = events(application, "rti.fee_ask")
        assert asked.post_id == ef.posts["pio"].pk and asked.details["amount"] == "20"

        services.rti_fee_paid(actor=ef.actor("clerk"), application=application, paid_on=ago(3))
        application.refresh_from_db()
        assert application.status == Status.RECEIVED
        clocks = rti_clocks(application.facts, today=TODAY)
        # Asked on day 2, paid on day 7 after receipt: 5 days do not count.
        assert clocks.reply.due_on == ago(10) + datetime.timedelta(days=35)
        [paid] = events(application, "rti.fee_paid")
        assert paid.post_id == ef.posts["clerk"].pk and paid.details["days_excluded"] == 5


def test_a_fee_paid_after_a_third_party_was_notified_goes_back_to_third_party(ef):
    with district_context("vaishali"):
        application = receive(ef, received_on=ago(10))
        services.rti_fee_ask(
            actor=ef.actor("sp"), application=application, amount=Decimal("10"), asked_on=ago(9)
        )
        services.rti_third_party_notify(actor=ef.actor("pio"), application=application, notified_on=ago(8))
        application.refresh_from_db()
        assert application.status == Status.FEE_PENDING  # still waiting for the fee
        services.rti_fee_paid(actor=ef.actor("pio"), application=application, paid_on=ago(7))
        application.refresh_from_db()
        assert application.status == Status.THIRD_PARTY
        assert rti_clocks(application.facts, today=TODAY).reply.due_on == ago(10) + datetime.timedelta(
            days=42
        )


def _fee_asked(ef):
    application = receive(ef, received_on=ago(10))
    services.rti_fee_ask(
        actor=ef.actor("pio"), application=application, amount=Decimal("10"), asked_on=ago(5)
    )
    application.refresh_from_db()
    return application


@pytest.mark.parametrize(
    ("key", "change", "field"),
    [
        ("clerk", {"amount": Decimal("10"), "asked_on": ago(5)}, "__all__"),  # not the PIO's decision
        ("sho", {"amount": Decimal("10"), "asked_on": ago(5)}, "__all__"),  # help sought: cannot decide
        ("pio", {"amount": Decimal("0"), "asked_on": ago(5)}, "amount"),
        ("pio", {"amount": Decimal("-5"), "asked_on": ago(5)}, "amount"),
        ("pio", {"amount": Decimal("10000000"), "asked_on": ago(5)}, "amount"),
        ("pio", {"amount": Decimal("10"), "asked_on": TODAY + datetime.timedelta(days=1)}, "asked_on"),
        ("pio", {"amount": Decimal("10"), "asked_on": ago(11)}, "asked_on"),
    ],
)
def test_a_bad_fee_asking_is_refused_and_changes_nothing(ef, key, change, field):
    with district_context("vaishali"):
        application = receive(ef, received_on=ago(10), helper_posts=[ef.posts["sho"]])
        with pytest.raises(ValidationError) as refused:
            services.rti_fee_ask(actor=ef.actor(key), application=application, **change)
        assert field in fields(refused.value)
        application.refresh_from_db()
        assert application.status == Status.RECEIVED and application.further_fee_asked_on is None
        assert not events(application, "rti.fee_ask")


def test_a_fee_is_asked_once_and_never_of_a_bpl_applicant(ef):
    with district_context("vaishali"):
        application = _fee_asked(ef)
        with pytest.raises(ValidationError, match="already asked"):
            services.rti_fee_ask(
                actor=ef.actor("pio"), application=application, amount=Decimal("5"), asked_on=ago(1)
            )
        bpl = receive(ef, fee=RtiApplication.Fee.BPL)
        with pytest.raises(ValidationError, match="poverty line"):
            services.rti_fee_ask(actor=ef.actor("pio"), application=bpl, amount=Decimal("5"), asked_on=ago(1))
        assert len(events(application, "rti.fee_ask")) == 1 and not events(bpl, "rti.fee_ask")


@pytest.mark.parametrize(
    ("paid_on", "field"),
    [(ago(6), "paid_on"), (TODAY + datetime.timedelta(days=1), "paid_on")],
)
def test_a_fee_paid_before_it_was_asked_or_in_the_future_is_refused(ef, paid_on, field):
    with district_context("vaishali"):
        application = _fee_asked(ef)
        with pytest.raises(ValidationError) as refused:
            services.rti_fee_paid(actor=ef.actor("pio"), application=application, paid_on=paid_on)
        assert field in fields(refused.value)
        application.refresh_from_db()
        assert application.status == Status.FEE_PENDING and application.further_fee_paid_on is None
        assert not events(application, "rti.fee_paid")


def test_a_payment_with_no_fee_asked_is_refused(ef):
    with district_context("vaishali"):
        application = receive(ef)
        with pytest.raises(ValidationError, match="No further fee is pending"):
            services.rti_fee_paid(actor=ef.actor("pio"), application=application, paid_on=TODAY)
        assert not events(application, "rti.fee_paid")


def test_a_transfer_in_time_and_a_late_one_are_both_recorded_and_say_so(ef):
    with district_context("vaishali"):
        in_time = receive(ef, received_on=ago(10))
        services.rti_transfer(
            actor=ef.actor("pio"), application=in_time, transferred_to="SP Muzaffarpur", transferred_on=ago(5)
        )
        late = receive(ef, received_on=ago(10))
        services.rti_transfer(
            actor=ef.actor("sp"), application=late, transferred_to="DM Vaishali", transferred_on=ago(4)
        )
        for application, was_late, post in ((in_time, False, "pio"), (late, True, "sp")):
            application.refresh_from_db()
            assert application.status == Status.TRANSFERRED
            [event] = events(application, "rti.transfer")
            assert event.details["late"] is was_late and event.post_id == ef.posts[post].pk
            assert event.details["due_on"] == ago(5).isoformat()


@pytest.mark.parametrize(
    ("key", "change", "field"),
    [
        ("clerk", {"transferred_to": "DM", "transferred_on": ago(1)}, "__all__"),
        ("pio", {"transferred_to": "   ", "transferred_on": ago(1)}, "transferred_to"),
        (
            "pio",
            {"transferred_to": "DM", "transferred_on": TODAY + datetime.timedelta(days=1)},
            "transferred_on",
        ),
        ("pio", {"transferred_to": "DM", "transferred_on": ago(11)}, "transferred_on"),
    ],
)
def test_a_bad_transfer_is_refused_and_changes_nothing(ef, key, change, field):
    with district_context("vaishali"):
        application = receive(ef, received_on=ago(10))
        with pytest.raises(ValidationError) as refused:
            services.rti_transfer(actor=ef.actor(key), application=application, **change)
        assert field in fields(refused.value)
        application.refresh_from_db()
        assert application.status == Status.RECEIVED and application.transferred_on is None
        assert not events(application, "rti.transfer")


@pytest.mark.parametrize("status", [Status.REPLIED, Status.REJECTED, Status.TRANSFERRED])
def test_a_replied_rejected_or_transferred_application_cannot_be_transferred(ef, status):
    with district_context("vaishali"):
        application = answered(receive(ef, received_on=ago(10)), replied_on=ago(2), status=status)
        with pytest.raises(ValidationError, match="cannot be transferred"):
            services.rti_transfer(
                actor=ef.actor("pio"), application=application, transferred_to="DM", transferred_on=ago(1)
            )
        assert not events(application, "rti.transfer")


def test_a_third_party_notice_gives_forty_days_and_is_given_once(ef):
    with district_context("vaishali"):
        application = receive(ef, received_on=ago(10))
        with pytest.raises(ValidationError):
            services.rti_third_party_notify(
                actor=ef.actor("clerk"), application=application, notified_on=ago(8)
            )
        services.rti_third_party_notify(actor=ef.actor("pio"), application=application, notified_on=ago(8))
        application.refresh_from_db()
        assert application.status == Status.THIRD_PARTY
        [event] = events(application, "rti.third_party_notify")
        assert event.details["reply_due_on"] == (ago(10) + datetime.timedelta(days=40)).isoformat()
        with pytest.raises(ValidationError, match="already notified"):
            services.rti_third_party_notify(
                actor=ef.actor("pio"), application=application, notified_on=ago(1)
            )
        replied = answered(receive(ef, received_on=ago(10)), replied_on=ago(1))
        with pytest.raises(ValidationError, match="cannot be notified"):
            services.rti_third_party_notify(actor=ef.actor("pio"), application=replied, notified_on=ago(1))
        with pytest.raises(ValidationError) as refused:
            services.rti_third_party_notify(
                actor=ef.actor("pio"), application=receive(ef), notified_on=ago(30)
            )
        assert "notified_on" in fields(refused.value)
        assert len(AuditEvent.objects.filter(action="rti.third_party_notify")) == 1


def test_deemed_refusal_is_marked_the_day_after_the_due_date_not_before_and_once(ef):
    with district_context("vaishali"):
        due_today = receive(ef, received_on=ago(30))
        due_yesterday = receive(ef, received_on=ago(31))
        apio_due_yesterday = receive(ef, received_on=ago(36), mode=RtiApplication.Mode.APIO)
        apio_due_today = receive(ef, received_on=ago(35), mode=RtiApplication.Mode.APIO)
        liberty = receive(ef, received_on=ago(3), life_or_liberty=True)  # due two days ago
        replied = answered(receive(ef, received_on=ago(40)), replied_on=ago(20))
        paused = _fee_asked(ef)
        marked = services.rti_deemed_refusals_mark(TODAY)
        assert {a.pk for a in marked} == {due_yesterday.pk, apio_due_yesterday.pk, liberty.pk}
        statuses = dict(RtiApplication.objects.values_list("pk", "status"))
        assert statuses[due_today.pk] == statuses[apio_due_today.pk] == Status.RECEIVED
        assert statuses[replied.pk] == Status.REPLIED and statuses[paused.pk] == Status.FEE_PENDING
        event = events(due_yesterday, "rti.deemed_refused")[0]
        assert event.person_id is None and event.details["deemed_refused_on"] == TODAY.isoformat()
        # Idempotent: a second run the same day marks nothing and writes nothing.
        assert services.rti_deemed_refusals_mark(TODAY) == []
        assert AuditEvent.objects.filter(action="rti.deemed_refused").count() == 3
        # The next day it is the turn of those due today.
        tomorrow = services.rti_deemed_refusals_mark(TODAY + datetime.timedelta(days=1))
        assert {a.pk for a in tomorrow} == {due_today.pk, apio_due_today.pk}


def test_a_first_appeal_is_received_only_after_a_reply_or_a_refusal(ef):
    with district_context("vaishali"):
        pending = receive(ef, received_on=ago(10))
        with pytest.raises(ValidationError, match="only after a reply"):
            services.rti_appeal_receive(actor=ef.actor("clerk"), application=pending, received_on=TODAY)
        replied = answered(receive(ef, received_on=ago(20)), replied_on=ago(10))
        for day, field in ((ago(11), "received_on"), (TODAY + datetime.timedelta(days=1), "received_on")):
            with pytest.raises(ValidationError) as refused:
                services.rti_appeal_receive(actor=ef.actor("clerk"), application=replied, received_on=day)
            assert field in fields(refused.value)
        assert not AuditEvent.objects.filter(action="rti.appeal_receive").exists()
        services.rti_appeal_receive(actor=ef.actor("clerk"), application=replied, received_on=ago(2))
        replied.refresh_from_db()
        assert replied.appeal_received_on == ago(2) and replied.status == Status.REPLIED
        [event] = events(replied, "rti.appeal_receive")
        assert (
            event.details["late"] is False
            and event.details["due_on"] == (ago(10) + datetime.timedelta(days=30)).isoformat()
        )
        with pytest.raises(ValidationError, match="already received"):
            services.rti_appeal_receive(actor=ef.actor("clerk"), application=replied, received_on=ago(1))


def test_an_appeal_on_an_overdue_application_not_yet_marked_marks_it_deemed_refused(ef):
    with district_context("vaishali"):
        overdue = receive(ef, received_on=ago(40))  # due 10 days ago, refused from 9 days ago
        with pytest.raises(ValidationError, match="deemed refusal"):
            services.rti_appeal_receive(actor=ef.actor("sp"), application=overdue, received_on=ago(10))
        services.rti_appeal_receive(actor=ef.actor("sp"), application=overdue, received_on=ago(9))
        overdue.refresh_from_db()
        assert overdue.status == Status.DEEMED_REFUSED and overdue.appeal_received_on == ago(9)
        clocks = rti_clocks(overdue.facts, today=TODAY)
        assert clocks.first_appeal.due_on == ago(10) + datetime.timedelta(days=30)
        assert clocks.appeal_decision.due_on == ago(9) + datetime.timedelta(days=30)


def test_a_first_appeal_decision_follows_its_receipt_and_records_the_reasons(ef):
    with district_context("vaishali"):
        application = answered(receive(ef, received_on=ago(100)), replied_on=ago(90))
        with pytest.raises(ValidationError, match="No first appeal awaits"):
            services.rti_appeal_decide(actor=ef.actor("sp"), application=application, decided_on=TODAY)
        services.rti_appeal_receive(actor=ef.actor("sp"), application=application, received_on=ago(80))
        with pytest.raises(ValidationError) as refused:
            services.rti_appeal_decide(actor=ef.actor("sp"), application=application, decided_on=ago(81))
        assert "decided_on" in fields(refused.value)
        assert not AuditEvent.objects.filter(action="rti.appeal_decide").exists()
        services.rti_appeal_decide(
            actor=ef.actor("sp"), application=application, decided_on=ago(40), reasons_recorded=True
        )
        application.refresh_from_db()
        decision = rti_clocks(application.facts, today=TODAY).appeal_decision
        assert decision.due_on == ago(80) + datetime.timedelta(days=45) and not decision.late
        [event] = events(application, "rti.appeal_decide")
        assert event.details["reasons_recorded"] is True and event.details["late"] is False
        with pytest.raises(ValidationError, match="No first appeal awaits"):
            services.rti_appeal_decide(actor=ef.actor("sp"), application=application, decided_on=TODAY)


def test_an_update_records_each_change_and_keeps_links_the_actor_cannot_see(ef):
    with district_context("vaishali"):
        case = register(ef)
        application = receive(ef, cases=[])
        base = {
            "applicant_name": application.applicant_name,
            "applicant_address": application.applicant_address,
            "subject": application.subject,
            "pio_post": ef.posts["pio"],
            "fee": RtiApplication.Fee.PAID,
        }
        services.rti_update(actor=ef.actor("sp"), application=application, **base, cases=[case])
        assert list(application.cases.all()) == [case]
        # The clerk of the SP office cannot see Mahua's cases: may not link one, and does not drop
        # the one the SP linked.
        another = register(ef, fir_number=124)
        with pytest.raises(ValidationError) as refused:
            services.rti_update(
                actor=ef.actor("clerk"), application=application, **base | {"subject": "x"}, cases=[another]
            )
        assert "cases" in fields(refused.value)
        services.rti_update(
            actor=ef.actor("clerk"),
            application=application,
            **base | {"applicant_name": "Suresh Prasad", "fee": RtiApplication.Fee.BPL},
            helper_posts=[ef.posts["sho"]],
        )
        application.refresh_from_db()
        assert application.applicant_name == "Suresh Prasad" and application.fee == RtiApplication.Fee.BPL
        assert list(application.cases.all()) == [case]
        assert list(application.helper_posts.all()) == [ef.posts["sho"]]
        event = events(application, "rti.update")[-1]
        assert event.details["changes"]["applicant_name"][1] == "Suresh Prasad"
        assert event.details["changes"]["helper_posts"] == [[], [ef.posts["sho"].pk]]
        assert "cases" not in event.details["changes"]
        with pytest.raises(ValidationError, match="Nothing was changed"):
            services.rti_update(
                actor=ef.actor("clerk"),
                application=application,
                **base | {"applicant_name": "Suresh Prasad", "fee": RtiApplication.Fee.BPL},
                helper_posts=[ef.posts["sho"]],
            )
        assert len(events(application, "rti.update")) == 2


def test_an_update_refuses_bad_particulars_and_outsiders(ef):
    with district_context("vaishali"):
        application = _fee_asked(ef)
        base = {
            "applicant_name": "A",
            "applicant_address": "B",
            "subject": "C",
            "pio_post": ef.posts["pio"],
            "fee": RtiApplication.Fee.PAID,
        }
        for key, change, field in (
            ("clerk", {"fee": RtiApplication.Fee.BPL}, "fee"),
            ("clerk", {"fee": "maybe"}, "fee"),
            ("clerk", {"subject": "  "}, "subject"),
            ("clerk", {"applicant_name": "x\x00"}, "applicant_name"),
            ("mahnar", {}, "__all__"),
            ("si", {}, "__all__"),
        ):
            with pytest.raises(ValidationError) as refused:
                services.rti_update(actor=ef.actor(key), application=application, **base | change)
            assert field in fields(refused.value), (key, change)
        assert not events(application, "rti.update")


def test_an_update_that_stops_the_deemed_refusal_puts_the_application_back_to_awaiting(ef):
    with district_context("vaishali"):
        application = receive(ef, received_on=ago(3), life_or_liberty=True)
        services.rti_deemed_refusals_mark(TODAY)
        application.refresh_from_db()
        assert application.status == Status.DEEMED_REFUSED
        update(ef, "pio", application, life_or_liberty=False)
        application.refresh_from_db()
        assert application.status == Status.RECEIVED
        assert events(application, "rti.update")[0].details["changes"]["status"] == [
            "deemed_refused",
            "received",
        ]
