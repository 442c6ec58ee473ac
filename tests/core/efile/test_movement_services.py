"""A file's way between posts through the services: send, return, park, take up, close, reopen,
each for the right post and refused for the wrong ones; and its track."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.base.access import viewer_for
from core.base.audit import audit_verify
from core.efile.selectors.track import file_actions, item_track
from core.efile.services.movement import (
    file_close,
    file_park,
    file_receive,
    file_reopen,
    file_return,
    file_send,
    file_unpark,
)
from core.efile.services.tracking import item_arrive
from core.models import AuditEvent, EFile, Movement, Notification, Posting
from core.org import services as core_services
from tenants.context import district_context
from tests.core.efile.filework import gen_file


def new_file(ef, key="clerk", subject="Movement test", **kwargs):
    return gen_file(ef.actor(key), ef.posts[key], subject, **kwargs)


def actions(file, viewer):
    return file.number and [
        name
        for name in ("receive", "send", "return_to", "park", "unpark", "close", "reopen")
        if getattr(file_actions(file, viewer), name)
    ]


def test_return_goes_back_to_the_post_it_came_from_with_remarks(ef):
    with district_context("vaishali"):
        file = new_file(ef)
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"], remarks="Put up")
        file_receive(actor=ef.actor("sdpo"), file=file)
        file_send(actor=ef.actor("sdpo"), file=file, to_post=ef.posts["sp"], remarks="For orders")
        file = file_return(actor=ef.actor("sp"), file=file, remarks="Seen. Discuss.")
        file.refresh_from_db()
        assert file.current_post == ef.posts["sdpo"] and file.received_at is None
        last = Movement.objects.filter(file=file).last()
        assert (last.action, last.from_post, last.to_post, last.remarks) == (
            "returned",
            ef.posts["sp"],
            ef.posts["sdpo"],
            "Seen. Discuss.",
        )
        assert Notification.objects.filter(file=file, person=ef.people["sdpo"]).count() == 2
        # The SDPO returns it in turn: down the chain to the clerk who sent it up, not back to
        # the SP who returned it.
        assert file_actions(file, viewer_for(ef.people["sdpo"])).return_to == ef.posts["clerk"]
        file_return(actor=ef.actor("sdpo"), file=file)
        file.refresh_from_db()
        assert file.current_post == ef.posts["clerk"]
        event = AuditEvent.objects.filter(action="file.return").first()
        assert event.post_id == ef.posts["sp"].pk and event.details["to_post"] == ef.posts["sdpo"].pk
        assert (
            AuditEvent.objects.filter(action="file.return").last().details["to_post"] == ef.posts["clerk"].pk
        )
        # Back where the chain began: nowhere further to return it.
        assert file_actions(file, viewer_for(ef.people["clerk"])).return_to is None
        with pytest.raises(ValidationError) as refused:
            file_return(actor=ef.actor("clerk"), file=file)
        assert "nowhere to return" in refused.value.messages[0]
        assert audit_verify().ok


def _way(ef, file, steps):
    """Run (verb, key[, to key]) steps on the file; returns the posts it lay at after each."""
    at = []
    for verb, key, *to in steps:
        if verb == "send":
            file_send(actor=ef.actor(key), file=file, to_post=ef.posts[to[0]])
        elif verb == "return":
            file_return(actor=ef.actor(key), file=file)
        else:
            {"park": file_park, "unpark": file_unpark}[verb](actor=ef.actor(key), file=file)
        file.refresh_from_db()
        at.append(file.current_post)
    return at


def test_returns_unwind_the_chain_of_sendings_like_a_stack(ef):
    with district_context("vaishali"):
        file = new_file(ef)
        # Up four posts, parked and taken up on the way, then returned all the way down.
        steps = [("send", "clerk", "sdpo"), ("send", "sdpo", "sp"), ("park", "sp"), ("unpark", "sp")]
        steps += [("send", "sp", "pio"), ("return", "pio"), ("return", "sp"), ("return", "sdpo")]
        at = _way(ef, file, steps)
        assert at[-3:] == [ef.posts["sp"], ef.posts["sdpo"], ef.posts["clerk"]]
        # A round trip sent (not returned) comes back the same way: clerk → SDPO → clerk → SDPO.
        other = new_file(ef)
        steps = [("send", "clerk", "sdpo"), ("send", "sdpo", "clerk"), ("send", "clerk", "sdpo")]
        steps += [("return", "sdpo"), ("return", "clerk"), ("return", "sdpo")]
        at = _way(ef, other, steps)
        assert at[-3:] == [ef.posts["clerk"], ef.posts["sdpo"], ef.posts["clerk"]]
        with pytest.raises(ValidationError):
            file_return(actor=ef.actor("clerk"), file=other)


def test_a_return_made_before_returns_unwound_counts_as_a_sending(ef):
    with district_context("vaishali"):
        file = new_file(ef)
        _way(ef, file, [("send", "clerk", "sdpo"), ("send", "sdpo", "sp"), ("return", "sp")])
        # The SDPO "returned" it to the SP the old way (up the chain).
        item_arrive(
            item=file,
            to_post=ef.posts["sp"],
            by=ef.people["sdpo"],
            action=Movement.Action.RETURNED,
            from_post=ef.posts["sdpo"],
        )
        at = _way(ef, file, [("return", "sp"), ("return", "sdpo")])
        assert at == [ef.posts["sdpo"], ef.posts["clerk"]]


def test_return_is_refused_for_a_file_opened_here_and_to_a_closed_post(ef):
    with district_context("vaishali"):
        file = new_file(ef)
        with pytest.raises(ValidationError) as refused:
            file_return(actor=ef.actor("clerk"), file=file)
        assert "nowhere to return" in refused.value.messages[0]
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["pio"])
        with pytest.raises(ValidationError):  # not at the clerk's post any more
            file_return(actor=ef.actor("clerk"), file=file)
        core_services.posting_end(
            posting=Posting.objects.get(person=ef.people["clerk"], post=ef.posts["clerk"])
        )
        ef.posts["clerk"].closed_on = timezone.localdate()
        ef.posts["clerk"].save(update_fields=["closed_on"])
        with pytest.raises(ValidationError) as refused:
            file_return(actor=ef.actor("pio"), file=file)
        assert "closed" in refused.value.messages[0]
        file.refresh_from_db()
        assert file.current_post == ef.posts["pio"]
        assert actions(file, viewer_for(ef.people["pio"])) == ["receive", "send", "park", "close"]


def test_park_and_take_up_again_only_by_a_holder(ef):
    with district_context("vaishali"):
        file = new_file(ef)
        with pytest.raises(ValidationError):
            file_park(actor=ef.actor("sp"), file=file)
        file_park(actor=ef.actor("clerk"), file=file, remarks="Awaiting report")
        file.refresh_from_db()
        assert file.status == EFile.Status.PARKED and file.current_post == ef.posts["clerk"]
        assert actions(file, viewer_for(ef.people["clerk"])) == ["unpark", "close"]
        with pytest.raises(ValidationError) as refused:
            file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sp"])
        assert "parked" in refused.value.messages[0]
        with pytest.raises(ValidationError):
            file_park(actor=ef.actor("clerk"), file=file)
        with pytest.raises(ValidationError):
            file_unpark(actor=ef.actor("sp"), file=file)
        file_unpark(actor=ef.actor("clerk"), file=file)
        file.refresh_from_db()
        assert file.status == EFile.Status.OPEN and file.received_at is not None
        with pytest.raises(ValidationError):
            file_unpark(actor=ef.actor("clerk"), file=file)
        assert list(Movement.objects.filter(file=file).values_list("action", flat=True)) == [
            "created",
            "parked",
            "unparked",
        ]
        assert list(
            AuditEvent.objects.filter(target_id=str(file.pk), target_type="efile").values_list(
                "action", flat=True
            )
        ) == ["file.create", "file.park", "file.unpark"]


def test_close_needs_a_remark_and_a_closed_file_does_not_move(ef):
    with district_context("vaishali"):
        file = new_file(ef)
        for bad in ("", "   ", "a\x00b"):
            with pytest.raises(ValidationError) as refused:
                file_close(actor=ef.actor("clerk"), file=file, remark=bad)
            assert "remark" in refused.value.message_dict
        with pytest.raises(ValidationError):
            file_close(actor=ef.actor("sp"), file=file, remark="Not mine")
        file.refresh_from_db()
        assert file.status == EFile.Status.OPEN
        file_close(actor=ef.actor("clerk"), file=file, remark="Disposed of.")
        file.refresh_from_db()
        assert (file.status, file.close_remark) == (EFile.Status.CLOSED, "Disposed of.")
        assert file.closed_at is not None
        for move in (
            lambda: file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sp"]),
            lambda: file_park(actor=ef.actor("clerk"), file=file),
            lambda: file_close(actor=ef.actor("clerk"), file=file, remark="again"),
        ):
            with pytest.raises(ValidationError):
                move()


def test_a_parked_file_may_be_closed(ef):
    with district_context("vaishali"):
        file = new_file(ef)
        file_park(actor=ef.actor("clerk"), file=file)
        file_close(actor=ef.actor("clerk"), file=file, remark="No further action")
        file.refresh_from_db()
        assert file.status == EFile.Status.CLOSED


def test_reopen_by_the_holder_of_the_closing_post_or_a_supervisor_over_it(ef):
    with district_context("vaishali"):
        file = new_file(ef, key="sho")
        file_close(actor=ef.actor("sho"), file=file, remark="Done")
        file.refresh_from_db()
        assert actions(file, viewer_for(ef.people["sho"])) == ["reopen"]
        assert actions(file, viewer_for(ef.people["sdpo"])) == ["reopen"]
        assert actions(file, viewer_for(ef.people["mahnar"])) == []
        assert actions(file, viewer_for(ef.people["si"])) == []
        for key in ("mahnar", "si", "clerk"):  # a supervisor elsewhere, a colleague, a stranger
            with pytest.raises(ValidationError) as refused:
                file_reopen(actor=ef.actor(key), file=file, reason="Let me")
            assert "may reopen" in refused.value.messages[0]
        with pytest.raises(ValidationError) as refused:
            file_reopen(actor=ef.actor("sho"), file=file, reason=" ")
        assert "reason" in refused.value.message_dict

        file_reopen(actor=ef.actor("sho"), file=file, reason="New facts")
        file.refresh_from_db()
        assert (file.status, file.closed_at, file.current_post) == (EFile.Status.OPEN, None, ef.posts["sho"])
        assert file.received_at is not None
        with pytest.raises(ValidationError):  # not closed any more
            file_reopen(actor=ef.actor("sho"), file=file, reason="again")

        file_close(actor=ef.actor("sho"), file=file, remark="Done again")
        before = Notification.objects.filter(person=ef.people["sho"], file=file).count()
        file_reopen(actor=ef.actor("sdpo"), file=file, reason="Re-examine")
        file.refresh_from_db()
        # Reopened where it was closed, waiting there as new; its holder is told.
        assert (file.status, file.current_post, file.received_at) == ("open", ef.posts["sho"], None)
        assert Notification.objects.filter(person=ef.people["sho"], file=file).count() == before + 1
        event = AuditEvent.objects.filter(action="file.reopen").last()
        assert event.post_id == ef.posts["sdpo"].pk and event.details["closed_remark"] == "Done again"
        assert audit_verify().ok


def test_the_sp_may_reopen_anywhere(ef):
    with district_context("vaishali"):
        file = new_file(ef, key="si")
        file_close(actor=ef.actor("si"), file=file, remark="Done")
        file_reopen(actor=ef.actor("sp"), file=file, reason="Audit query")
        assert AuditEvent.objects.filter(action="file.reopen").last().post_id == ef.posts["sp"].pk


def test_track_says_who_held_it_for_how_long_and_where_it_is(ef):
    with district_context("vaishali"):
        file = new_file(ef)
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"], remarks="Put up")
        file_receive(actor=ef.actor("sdpo"), file=file)
        file_park(actor=ef.actor("sdpo"), file=file)
        file_unpark(actor=ef.actor("sdpo"), file=file)
        file_return(actor=ef.actor("sdpo"), file=file, remarks="Back")
        # Spread the steps over known times: created, sent 2 h later, returned 1 day after that.
        start = timezone.now() - datetime.timedelta(days=3)
        times = [start, start + datetime.timedelta(hours=2)]
        times += [times[1] + datetime.timedelta(hours=h) for h in (1, 2)]
        times += [times[1] + datetime.timedelta(days=1)]
        with transaction.atomic():
            for movement, at in zip(
                Movement.objects.filter(file=file).order_by("at", "id"), times, strict=True
            ):
                Movement.objects.filter(pk=movement.pk).update(at=at)
        file.refresh_from_db()
        now = times[-1] + datetime.timedelta(hours=5)
        track = item_track(file, now=now)
        assert [s.movement.action for s in track.steps] == [
            "created",
            "sent",
            "parked",
            "unparked",
            "returned",
        ]
        assert [s.held_for for s in track.steps] == [
            datetime.timedelta(hours=2),
            datetime.timedelta(days=1),
            None,
            None,
            datetime.timedelta(hours=5),
        ]
        assert track.steps[-1].current and not track.steps[0].current
        stays = {stay.post: (stay.held_for, stay.stays) for stay in track.posts}
        assert stays == {
            ef.posts["clerk"]: (datetime.timedelta(hours=7), 2),
            ef.posts["sdpo"]: (datetime.timedelta(days=1), 1),
        }
        assert track.now_at == ef.posts["clerk"] and not track.closed
        assert track.steps[1].movement.received_by == ef.people["sdpo"]
