"""The trays: inbox (new first, then due date, overdue flagged, additional charges included), sent,
parked, closed; paged with a fixed number of queries; and their pages."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.base.access import viewer_for
from core.efile.selectors.inbox import (
    closed_page,
    inbox_count,
    inbox_page,
    inbox_summary,
    parked_page,
    sent_page,
)
from core.efile.services.movement import file_close, file_park, file_receive, file_send
from core.efile.services.receipts import receipt_diarise, receipt_send
from core.models import EFile, Receipt
from core.org import services as core_services
from tenants.context import district_context
from tests.core.efile.test_movement_services import new_file

TODAY = timezone.localdate()


def dak(ef, key="clerk", subject="Letter"):
    return receipt_diarise(
        actor=ef.actor(key), post=ef.posts[key], mode=Receipt.Mode.POST, sender="IG Tirhut", subject=subject
    )


def numbers(page):
    return [row.number for row in page.object_list]


def test_inbox_lists_new_first_then_by_due_date_and_flags_overdue(ef):
    with district_context("vaishali"):
        taken = new_file(ef, subject="taken in")
        file_send(actor=ef.actor("clerk"), file=taken, to_post=ef.posts["sdpo"])
        file_receive(actor=ef.actor("sdpo"), file=taken)
        later = new_file(ef, subject="due later")
        file_send(
            actor=ef.actor("clerk"),
            file=later,
            to_post=ef.posts["sdpo"],
            due_on=TODAY + datetime.timedelta(days=9),
        )
        soon = new_file(ef, subject="due soon")
        file_send(
            actor=ef.actor("clerk"),
            file=soon,
            to_post=ef.posts["sdpo"],
            due_on=TODAY + datetime.timedelta(days=2),
        )
        letter = dak(ef)
        receipt_send(actor=ef.actor("clerk"), receipt=letter, to_post=ef.posts["sdpo"])
        late = new_file(ef, subject="overdue, taken in")
        file_send(actor=ef.actor("clerk"), file=late, to_post=ef.posts["sdpo"], due_on=TODAY)
        file_receive(actor=ef.actor("sdpo"), file=late)
        EFile.objects.filter(pk=late.pk).update(due_on=TODAY - datetime.timedelta(days=1))
        new_file(ef, subject="still with the clerk")

        page = inbox_page(viewer_for(ef.people["sdpo"]))
        assert numbers(page) == [soon.number, later.number, letter.diary_number, late.number, taken.number]
        rows = page.object_list
        assert [row.is_new for row in rows] == [True, True, True, False, False]
        assert [row.overdue for row in rows] == [False, False, False, True, False]
        assert rows[2].kind == "dak" and rows[0].came.from_post == ef.posts["clerk"]
        assert inbox_count(viewer_for(ef.people["sdpo"])) == 5
        assert inbox_count(viewer_for(ef.people["mahnar"])) == 0
        assert numbers(inbox_page(viewer_for(ef.people["mahnar"]))) == []
        summary = {
            s.post: (s.files, s.dak, s.new, s.overdue) for s in inbox_summary(viewer_for(ef.people["sdpo"]))
        }
        assert summary == {ef.posts["sdpo"]: (4, 1, 3, 1)}


def test_additional_charge_brings_that_posts_inbox_and_a_transfer_leaves_it_with_the_post(ef):
    with district_context("vaishali"):
        file = new_file(ef)
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sho"])
        assert numbers(inbox_page(viewer_for(ef.people["si"]))) == []
        core_services.posting_start(
            person=ef.people["si"],
            post=ef.posts["sho"],
            additional_charge=True,
            ends_on=TODAY + datetime.timedelta(days=10),
        )
        assert numbers(inbox_page(viewer_for(ef.people["si"]))) == [file.number]
        file_receive(actor=ef.actor("si"), file=file)


def test_pages_of_fifty_with_a_fixed_number_of_queries(ef):
    with district_context("vaishali"):
        files = [new_file(ef, subject=f"bulk {i}") for i in range(53)]
        letters = [dak(ef, subject=f"letter {i}") for i in range(4)]
        for file in files:
            file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sp"])
        for letter in letters:
            receipt_send(actor=ef.actor("clerk"), receipt=letter, to_post=ef.posts["sp"])
        viewer = viewer_for(ef.people["sp"])
        with CaptureQueriesContext(connection) as queries:
            first = inbox_page(viewer)
            [(row.number, row.item.current_post.office.name, row.came.from_post.title) for row in first]
        assert len(first.object_list) == 50 and first.paginator.count == 57
        assert len(queries) <= 5  # count, page, files, receipts, how each came: never per row
        assert len(inbox_page(viewer, 2).object_list) == 7
        assert len(inbox_page(viewer, "x\x00").object_list) == 50  # any page input, no error
        assert len(inbox_page(viewer, 99).object_list) == 7
        clerk = viewer_for(ef.people["clerk"])
        with CaptureQueriesContext(connection) as queries:
            sent = sent_page(clerk)
            [(m.file or m.receipt, m.to_post.office.name, m.by) for m in sent]
        assert sent.paginator.count == 57 and len(queries) <= 3  # count, the page's ids, its rows


def test_sent_parked_and_closed_trays(ef):
    with district_context("vaishali"):
        sent = new_file(ef, subject="sent on")
        file_send(actor=ef.actor("clerk"), file=sent, to_post=ef.posts["sdpo"], remarks="Please see")
        parked = new_file(ef, subject="parked")
        file_park(actor=ef.actor("clerk"), file=parked)
        closed_here = new_file(ef, subject="closed here")
        file_close(actor=ef.actor("clerk"), file=closed_here, remark="Done")
        passed = new_file(ef, subject="closed further on")
        file_send(actor=ef.actor("clerk"), file=passed, to_post=ef.posts["sp"])
        file_close(actor=ef.actor("sp"), file=passed, remark="Done by SP")
        letter = dak(ef)
        Receipt.objects.filter(pk=letter.pk).update(status=Receipt.Status.CLOSED, closed_at=timezone.now())

        clerk = viewer_for(ef.people["clerk"])
        assert [(m.file, m.to_post, m.remarks) for m in sent_page(clerk)] == [
            (passed, ef.posts["sp"], ""),
            (sent, ef.posts["sdpo"], "Please see"),
        ]
        assert list(parked_page(clerk)) == [parked]
        assert numbers(closed_page(clerk)) == [letter.diary_number, passed.number, closed_here.number]
        assert numbers(closed_page(viewer_for(ef.people["sp"]))) == [passed.number]
        assert numbers(closed_page(viewer_for(ef.people["sdpo"]))) == []
        assert numbers(inbox_page(clerk)) == []  # parked and closed files are not waiting
