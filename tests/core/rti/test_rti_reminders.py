"""The daily RTI reminders: due in 5 days, due tomorrow and overdue, each exactly on its day and
once; a further fee paid later moves the date and the new date's reminders go; the PIO and their
supervisor are told in-app and by e-mail (no applicant's name in the mail); the daily task goes on
past a failing district."""

import datetime

from django.core import mail
from huey.contrib.djhuey import HUEY

from core.base.notifications import notification_email_task
from core.models import AuditEvent, Notification, Post, RtiApplication, RtiReminder
from core.rti import tasks as rti_tasks
from core.rti.services.reminders import rti_reminders_send, supervisor_post_id
from tenants.context import district_context
from tests.core.rti.test_rti_receive import receive
from tests.core.rti.test_rti_reply import APPLICANT, reply

RECEIVED = datetime.date(2025, 1, 10)  # reply due 9 February 2025 (30 days)
DUE = datetime.date(2025, 2, 9)


def days(start: datetime.date, end: datetime.date):
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


def run_each_day(start, end) -> dict[datetime.date, int]:
    """Run the reminders on every day from start to end; the days something was sent."""
    return {day: sent for day in days(start, end) if (sent := rti_reminders_send(day))}


def test_reminders_go_exactly_on_their_days_each_once_to_the_pio_and_the_sp(ef):
    with district_context("vaishali"):
        application = receive(ef, received_on=RECEIVED)
        sent = run_each_day(RECEIVED, DUE + datetime.timedelta(days=20))
        assert sent == {
            datetime.date(2025, 2, 4): 2,  # due in 5 days: the PIO and the SP
            datetime.date(2025, 2, 8): 2,  # due tomorrow
            datetime.date(2025, 2, 10): 2,  # overdue, told once
        }
        assert rti_reminders_send(datetime.date(2025, 2, 4)) == 0  # a second run sends nothing
        reminders = RtiReminder.objects.filter(application=application).order_by("id")
        assert [(r.kind, r.due_on) for r in reminders] == [("due_5", DUE), ("due_1", DUE), ("overdue", DUE)]
        told = Notification.objects.filter(rti=application)
        assert {(n.person_id, n.kind) for n in told} == {
            (ef.people[key].pk, kind)
            for key in ("pio", "sp")
            for kind in ("rti_due_5", "rti_due_1", "rti_overdue")
        }
        assert {n.post_id for n in told.filter(person=ef.people["sp"])} == {ef.posts["sp"].pk}
        assert AuditEvent.objects.filter(action="rti.remind", target_id=str(application.pk)).count() == 3


def test_answered_transferred_and_fee_pending_applications_get_no_reminders(ef):
    with district_context("vaishali"):
        answered = receive(ef, received_on=RECEIVED)
        reply(ef, answered, replied_on=datetime.date(2025, 1, 20))
        transferred = receive(ef, received_on=RECEIVED)
        RtiApplication.objects.filter(pk=transferred.pk).update(
            status=RtiApplication.Status.TRANSFERRED, transferred_on=datetime.date(2025, 1, 12)
        )
        waiting = receive(ef, received_on=RECEIVED)
        # The register's fee service is another use case; the dates are what the clock reads.
        RtiApplication.objects.filter(pk=waiting.pk).update(
            status=RtiApplication.Status.FEE_PENDING, further_fee_asked_on=datetime.date(2025, 1, 15)
        )
        assert run_each_day(RECEIVED, DUE + datetime.timedelta(days=20)) == {}
        assert not RtiReminder.objects.exists() and not Notification.objects.exists()


def test_a_fee_paid_later_moves_the_due_date_and_fresh_reminders_go(ef):
    with district_context("vaishali"):
        application = receive(ef, received_on=RECEIVED)
        assert run_each_day(RECEIVED, datetime.date(2025, 2, 4)) == {datetime.date(2025, 2, 4): 2}
        # Fee asked on 20 January, paid on 5 February: 16 days do not count, due 25 February.
        RtiApplication.objects.filter(pk=application.pk).update(
            further_fee_asked_on=datetime.date(2025, 1, 20), further_fee_paid_on=datetime.date(2025, 2, 5)
        )
        later = run_each_day(datetime.date(2025, 2, 5), datetime.date(2025, 3, 10))
        assert later == {
            datetime.date(2025, 2, 20): 2,
            datetime.date(2025, 2, 24): 2,
            datetime.date(2025, 2, 26): 2,
        }
        moved = datetime.date(2025, 2, 25)
        assert list(
            RtiReminder.objects.filter(application=application).order_by("id").values_list("kind", "due_on")
        ) == [("due_5", DUE), ("due_5", moved), ("due_1", moved), ("overdue", moved)]


def test_the_supervisor_is_the_narrowest_head_over_the_pio(ef):
    with district_context("vaishali"):
        assert supervisor_post_id(ef.posts["pio"]) == ef.posts["sp"].pk  # SP office: the SP
        assert supervisor_post_id(ef.posts["si"]) == ef.posts["sho"].pk  # a thana: its SHO
        assert supervisor_post_id(ef.posts["sho"]) == ef.posts["sdpo"].pk  # the SHO: the SDPO above
        assert supervisor_post_id(ef.posts["sdpo"]) == ef.posts["sp"].pk  # the SDPO: the SP
        application = receive(
            ef,
            "sdpo",
            office=ef.offices["ef-sdpo-mahua"],
            pio_post=ef.posts["sdpoclerk"],
            received_on=RECEIVED,
        )
        rti_reminders_send(datetime.date(2025, 2, 4))
        told = set(Notification.objects.filter(rti=application).values_list("person_id", "post_id"))
        assert told == {
            (ef.people["sdpoclerk"].pk, ef.posts["sdpoclerk"].pk),
            (ef.people["sdpo"].pk, ef.posts["sdpo"].pk),
        }
        assert Post.objects.filter(pk=ef.posts["sdpo"].pk, kind=Post.Kind.SDPO).exists()


def test_reminders_are_emailed_after_commit_without_the_applicants_name(
    ef, django_capture_on_commit_callbacks
):
    HUEY.flush()
    with district_context("vaishali"):
        application = receive(ef, received_on=RECEIVED, subject=f"Papers about {APPLICANT}")
        with django_capture_on_commit_callbacks(execute=True):
            rti_reminders_send(datetime.date(2025, 2, 8))
        assert HUEY.pending_count() == 1
        assert HUEY.dequeue().name.endswith("notification_email_task")
        ids = list(Notification.objects.filter(rti=application).values_list("pk", flat=True))
        mail.outbox.clear()
        assert notification_email_task.call_local("vaishali", notification_ids=ids) == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [ef.people["pio"].email, ef.people["sp"].email]
    )
    for message in mail.outbox:
        assert application.number in message.subject and "tomorrow" in message.subject
        assert APPLICANT not in message.subject + message.body
        assert "9 February 2025" in message.body and f"/rti/{application.pk}/" in message.body


def test_the_notifications_page_links_the_application_while_the_reader_sees_it(ef):
    with district_context("vaishali"):
        application = receive(ef, received_on=RECEIVED)
        rti_reminders_send(datetime.date(2025, 2, 10))
    page = ef.client("pio").get("/notifications/").content.decode()
    assert "An RTI reply is overdue" in page and f'href="/rti/{application.pk}/"' in page
    assert APPLICANT not in page


def test_the_daily_task_marks_deemed_refusals_then_reminds_and_goes_on_past_a_failing_district(
    ef, monkeypatch
):
    with district_context("vaishali"):
        application = receive(ef, received_on=RECEIVED)
    today = datetime.date(2025, 2, 10)
    assert rti_tasks.rti_daily_all(today)["vaishali"] == 2
    with district_context("vaishali"):
        application.refresh_from_db()
        assert application.status == RtiApplication.Status.DEEMED_REFUSED
        assert RtiReminder.objects.filter(application=application, kind="overdue").count() == 1
    real = rti_tasks.rti_daily

    def broken_in_vaishali(day):
        from django.db import connection

        if connection.schema_name == "vaishali":
            raise RuntimeError("a broken district")
        return real(day)

    monkeypatch.setattr(rti_tasks, "rti_daily", broken_in_vaishali)
    done = rti_tasks.rti_daily_all(today)
    assert "vaishali" not in done and done.get("muzaffarpur") == 0
