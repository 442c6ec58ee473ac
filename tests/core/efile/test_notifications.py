"""Notifications: in-app rows, e-mail through huey after commit (Hindi and English, a confidential
subject never mailed), overdue told once per movement by the morning task, the list page."""

import datetime

from django.core import mail
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from core.base.notifications import notification_email_task
from core.efile.notifications import overdue_notify
from core.efile.services.movement import file_park, file_receive, file_return, file_send, file_unpark
from core.efile.services.receipts import receipt_send
from core.efile.tasks import overdue_notify_all
from core.models import AuditEvent, EFile, Movement, Notification, Receipt
from tenants.context import district_context
from tests.core.efile.test_inbox import dak
from tests.core.efile.test_movement_services import new_file

TODAY = timezone.localdate()


def test_an_arrival_is_emailed_after_commit_in_hindi_and_english(ef, django_capture_on_commit_callbacks):
    HUEY.flush()
    with district_context("vaishali"):
        secret = new_file(ef, subject="Raid on the godown", confidentiality=EFile.Confidentiality.SECRET)
        with django_capture_on_commit_callbacks(execute=True):
            file_send(actor=ef.actor("clerk"), file=secret, to_post=ef.posts["sdpo"])
        assert HUEY.pending_count() == 1
        task = HUEY.dequeue()
        assert task.name.endswith("notification_email_task")
        ids = list(Notification.objects.filter(file=secret).values_list("pk", flat=True))
        mail.outbox.clear()
        assert notification_email_task.call_local("vaishali", notification_ids=ids) == 1
        assert notification_email_task.call_local("vaishali", notification_ids=ids) == 0  # never twice
    [message] = mail.outbox
    assert message.to == [ef.people["sdpo"].email]
    assert secret.number in message.subject and "SDPO Mahua" in message.body
    assert len(message.body.strip().split("\n\n")) == 2  # Hindi, then English
    assert "Raid on the godown" not in message.body + message.subject  # a secret subject stays inside
    assert f"/files/{secret.pk}/" in message.body and "vaishali." in message.body
    with district_context("vaishali"):
        assert Notification.objects.get(pk=ids[0]).emailed_at is not None


def test_nothing_is_enqueued_when_the_change_rolls_back(ef, django_capture_on_commit_callbacks):
    HUEY.flush()
    with district_context("vaishali"):
        file = new_file(ef)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"])
        assert len(callbacks) == 1  # waits for commit
    assert HUEY.pending_count() == 0


def test_overdue_is_told_once_per_movement_to_the_holders_where_it_waits(ef):
    with district_context("vaishali"):
        late = new_file(ef, subject="late")
        file_send(actor=ef.actor("clerk"), file=late, to_post=ef.posts["sdpo"], due_on=TODAY)
        letter = dak(ef)
        receipt_send(actor=ef.actor("clerk"), receipt=letter, to_post=ef.posts["sho"], due_on=TODAY)
        on_time = new_file(ef, subject="on time")
        file_send(actor=ef.actor("clerk"), file=on_time, to_post=ef.posts["sdpo"], due_on=TODAY)
        moved_on = new_file(ef, subject="moved on")
        file_send(actor=ef.actor("clerk"), file=moved_on, to_post=ef.posts["sdpo"], due_on=TODAY)
        file_receive(actor=ef.actor("sdpo"), file=moved_on)
        file_send(actor=ef.actor("sdpo"), file=moved_on, to_post=ef.posts["sp"])
        yesterday = TODAY - datetime.timedelta(days=1)
        for item in (late, moved_on):
            Movement.objects.filter(file=item, due_on=TODAY).update(due_on=yesterday)
        EFile.objects.filter(pk=late.pk).update(due_on=yesterday)
        Movement.objects.filter(receipt=letter, due_on=TODAY).update(due_on=yesterday)
        Receipt.objects.filter(pk=letter.pk).update(due_on=yesterday)

        assert overdue_notify() == 2
        assert overdue_notify() == 0
        overdue = Notification.objects.filter(kind__in=["file_overdue", "dak_overdue"])
        assert sorted(overdue.values_list("kind", "person_id")) == sorted(
            [("file_overdue", ef.people["sdpo"].pk), ("dak_overdue", ef.people["sho"].pk)]
        )
        assert AuditEvent.objects.filter(action="efile.overdue_notify").count() == 2
        assert Movement.objects.filter(overdue_notified_at__isnull=False).count() == 2


def test_overdue_survives_parking_and_ends_with_the_stay(ef):
    with district_context("vaishali"):
        yesterday = TODAY - datetime.timedelta(days=1)
        parked = new_file(ef, subject="parked and taken up")
        file_send(actor=ef.actor("clerk"), file=parked, to_post=ef.posts["sdpo"], due_on=TODAY)
        file_receive(actor=ef.actor("sdpo"), file=parked)
        file_park(actor=ef.actor("sdpo"), file=parked)
        assert overdue_notify(today=TODAY + datetime.timedelta(days=1)) == 0  # parked: not in the inbox
        file_unpark(actor=ef.actor("sdpo"), file=parked)
        # Away and back again without a due date: the first sending's date no longer holds.
        back = new_file(ef, subject="away and back")
        file_send(actor=ef.actor("clerk"), file=back, to_post=ef.posts["sdpo"], due_on=TODAY)
        file_return(actor=ef.actor("sdpo"), file=back)
        file_send(actor=ef.actor("clerk"), file=back, to_post=ef.posts["sdpo"])
        for item in (parked, back):
            Movement.objects.filter(file=item, due_on=TODAY).update(due_on=yesterday)
        EFile.objects.filter(pk=parked.pk).update(due_on=yesterday)

        assert overdue_notify() == 1
        assert overdue_notify() == 0
        [told] = Notification.objects.filter(kind="file_overdue")
        assert (told.file_id, told.person_id) == (parked.pk, ef.people["sdpo"].pk)


def test_the_morning_task_visits_every_live_district(ef, world):
    done = overdue_notify_all()
    assert {"vaishali", "muzaffarpur"} <= set(done)


def test_the_list_page_marks_read_and_counts_in_the_header(ef):
    with district_context("vaishali"):
        first, second = new_file(ef, subject="first"), new_file(ef, subject="second")
        for file in (first, second):
            file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"])
        mine = list(Notification.objects.filter(person=ef.people["sdpo"]).order_by("id"))
        file_send(actor=ef.actor("clerk"), file=new_file(ef), to_post=ef.posts["pio"])
        theirs = Notification.objects.get(person=ef.people["pio"])
    sdpo = ef.client("sdpo")
    page = sdpo.get("/notifications/").content.decode()
    assert (
        first.number in page and "first" in page and 'Notifications <span class="ef-count">(2)</span>' in page
    )
    assert sdpo.post("/notifications/read/", {"id": mine[0].pk}).status_code == 302
    assert sdpo.post("/notifications/read/", {"id": theirs.pk}).status_code == 302  # not theirs to mark
    assert sdpo.post("/notifications/read/", {"id": "1\x00"}).status_code == 302
    with district_context("vaishali"):
        assert Notification.objects.get(pk=theirs.pk).read_at is None
        assert [
            n.read_at is not None
            for n in Notification.objects.filter(pk__in=[m.pk for m in mine]).order_by("id")
        ] == [
            True,
            False,
        ]
    assert 'Notifications <span class="ef-count">(1)</span>' in sdpo.get("/notifications/").content.decode()
    sdpo.post("/notifications/read/")
    assert (
        "ef-count"
        not in sdpo.get("/notifications/").content.decode().split("<main>")[0].split("Notifications")[-1]
    )
    assert sdpo.get("/notifications/read/").status_code == 405


def test_a_notification_of_a_file_no_longer_visible_names_it_by_number_only(ef):
    with district_context("vaishali"):
        file = new_file(ef, subject="Transferred desk")
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["si"])
        # The SI's file: then the SI is no longer posted there but to the SDPO office's clerk post,
        # which neither holds nor supervises the thana's posts.
        from core.models import Posting

        Posting.objects.filter(person=ef.people["si"]).update(post=ef.posts["sdpoclerk"])
    page = ef.client("si").get("/notifications/").content.decode()
    assert file.number in page and "Transferred desk" not in page and "no longer at your posts" in page
