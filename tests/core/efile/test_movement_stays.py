"""A file's stay at a post: steps that leave it where it is keep its due date, arrival and taking
in; a file closed at a post that has since closed reopens only with a supervisor, at their post;
nothing is sent to a closed post or to a post of a closed office."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.base.access import viewer_for
from core.base.audit import audit_verify
from core.efile.notifications import overdue_notify
from core.efile.selectors.inbox import inbox_page, item_overdue
from core.efile.services.movement import (
    file_came_from,
    file_close,
    file_park,
    file_receive,
    file_reopen,
    file_return,
    file_send,
    file_unpark,
)
from core.efile.services.receipts import receipt_send
from core.models import AuditEvent, EFile, Movement, Notification, Office, Posting
from core.org import services as core_services
from tenants.context import district_context
from tests.core.efile.test_inbox import dak
from tests.core.efile.test_movement_services import new_file

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _stay(file):
    file.refresh_from_db()
    return (file.current_post_id, file.due_on, file.arrived_at, file.received_at)


def test_park_and_take_up_keep_the_due_date_the_arrival_and_the_taking_in(ef):
    with district_context("vaishali"):
        file = new_file(ef)
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"], due_on=TODAY + 2 * DAY)
        file_receive(actor=ef.actor("sdpo"), file=file)
        stay = _stay(file)
        assert stay[1] == TODAY + 2 * DAY and stay[3] is not None
        file_park(actor=ef.actor("sdpo"), file=file, remarks="Awaiting report")
        assert _stay(file) == stay
        file_unpark(actor=ef.actor("sdpo"), file=file)
        assert _stay(file) == stay and file.status == EFile.Status.OPEN
        # The date passes (moved back as time would move on): overdue, in the inbox and to the task.
        Movement.objects.filter(file=file, due_on__isnull=False).update(due_on=TODAY - DAY)
        EFile.objects.filter(pk=file.pk).update(due_on=TODAY - DAY)
        file.refresh_from_db()
        assert item_overdue(file)
        [row] = [row for row in inbox_page(viewer_for(ef.people["sdpo"])) if row.number == file.number]
        assert row.overdue
        assert overdue_notify() == 1
        assert overdue_notify() == 0
        assert Notification.objects.filter(file=file, kind="file_overdue").count() == 1
        # Parked and taken up again after it was told: still not told twice.
        file_park(actor=ef.actor("sdpo"), file=file)
        file_unpark(actor=ef.actor("sdpo"), file=file)
        assert overdue_notify() == 0
        # Closing keeps the stay too, and is dated by its own step, not by the arrival.
        file_close(actor=ef.actor("sdpo"), file=file, remark="Done")
        closing = Movement.objects.filter(file=file, action="closed").get()
        assert _stay(file) == (stay[0], TODAY - DAY, stay[2], stay[3])
        assert file.closed_at == closing.at and file.closed_at > file.arrived_at


def test_acting_on_a_file_not_yet_taken_in_takes_it_in(ef):
    with district_context("vaishali"):
        file = new_file(ef)
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"], due_on=TODAY + DAY)
        arrived = _stay(file)[2]
        file_park(actor=ef.actor("sdpo"), file=file)
        post, due, arrived_at, received_at = _stay(file)
        assert (due, arrived_at) == (TODAY + DAY, arrived) and received_at is not None


def _close_the_si_post(ef):
    """The SI's file closed at the SI post; then the SI leaves and the post is closed."""
    Posting.objects.filter(person=ef.people["si"]).update(starts_on=TODAY - 30 * DAY)
    file = new_file(ef, key="si")
    file_close(actor=ef.actor("si"), file=file, remark="Done")
    core_services.posting_end(
        posting=Posting.objects.get(person=ef.people["si"], post=ef.posts["si"]), ends_on=TODAY - DAY
    )
    core_services.post_close(actor=ef.actor("sp"), post=ef.posts["si"])
    return file


def test_a_file_closed_at_a_post_since_closed_reopens_only_at_a_supervisors_post(ef):
    with district_context("vaishali"):
        file = _close_the_si_post(ef)
        for key in ("si", "mahnar", "clerk"):  # its former holder, a supervisor elsewhere, a stranger
            with pytest.raises(ValidationError) as refused:
                file_reopen(actor=ef.actor(key), file=file, reason="Let me")
            assert "SI Mahua" in refused.value.messages[0] and "closed" in refused.value.messages[0]
        file.refresh_from_db()
        assert file.status == EFile.Status.CLOSED and file.current_post == ef.posts["si"]

        file_reopen(actor=ef.actor("sdpo"), file=file, reason="Fresh complaint")
        file.refresh_from_db()
        assert (file.status, file.current_post) == (EFile.Status.OPEN, ef.posts["sdpo"])
        assert file.received_at is not None and file.due_on is None
        last = Movement.objects.filter(file=file).last()
        assert (last.action, last.from_post, last.to_post) == ("reopened", ef.posts["si"], ef.posts["sdpo"])
        event = AuditEvent.objects.filter(action="file.reopen").last()
        assert event.post_id == ef.posts["sdpo"].pk and event.details["at_post"] == ef.posts["sdpo"].pk
        # The SDPO works it from their own post; nothing to return it to.
        assert file_came_from(file) is None
        file_send(actor=ef.actor("sdpo"), file=file, to_post=ef.posts["sho"])
        file_return(actor=ef.actor("sho"), file=file)
        file.refresh_from_db()
        assert file.current_post == ef.posts["sdpo"]
        assert audit_verify().ok


def test_nothing_goes_to_a_closed_post_or_to_a_post_of_a_closed_office(ef):
    with district_context("vaishali"):
        file = new_file(ef)
        letter = dak(ef)
        Office.objects.filter(pk=ef.offices["ef-thana-mahua"].pk).update(status=Office.Status.CLOSED)
        with pytest.raises(ValidationError) as refused:
            file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sho"])
        assert "Mahua Thana, which is closed" in refused.value.messages[0]
        with pytest.raises(ValidationError) as refused:
            receipt_send(actor=ef.actor("clerk"), receipt=letter, to_post=ef.posts["si"])
        assert "Mahua Thana, which is closed" in refused.value.messages[0]
        # A return to a post of a closed office is refused too.
        Office.objects.filter(pk=ef.offices["ef-thana-mahua"].pk).update(status=Office.Status.LIVE)
        sent = new_file(ef, key="sho")
        file_send(actor=ef.actor("sho"), file=sent, to_post=ef.posts["sdpo"])
        Office.objects.filter(pk=ef.offices["ef-thana-mahua"].pk).update(status=Office.Status.CLOSED)
        with pytest.raises(ValidationError) as refused:
            file_return(actor=ef.actor("sdpo"), file=sent)
        assert "which is closed" in refused.value.messages[0]
        for item in (file, letter, sent):
            item.refresh_from_db()
        assert (file.current_post, letter.current_post, sent.current_post) == (
            ef.posts["clerk"],
            ef.posts["clerk"],
            ef.posts["sdpo"],
        )
