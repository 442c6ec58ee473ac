"""A failure at any point of any step (raised inside the step, as a crash would stop it) leaves
what the step found; rerunning the steps then delivers the letter exactly once, with one copy of
its document, and "delivered" and "diarised" reach the sender once each."""

import pytest

from core.letters import relay as relay_module
from core.letters.diarise import incoming_letter_diarise
from core.models import ExchangeOutbox, OutgoingLetter, Receipt
from tenants.context import district_context
from tenants.models import ExchangeAttachment, ExchangeMessage
from tenants.storage import district_media_dir
from tests.core.letters.letterwork import deliver, incoming, relay, send


class Crash(Exception):
    pass


def _crash_at(monkeypatch, name):
    def checkpoint(reached):
        if reached == name:
            raise Crash(name)

    monkeypatch.setattr(relay_module, "checkpoint", checkpoint)


def _stored_letters(slug):
    folder = district_media_dir(slug) / "letters"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def _state():
    with district_context("vaishali"):
        sender = list(ExchangeOutbox.objects.values_list("key", "relayed_at"))
        letters = list(OutgoingLetter.objects.values_list("status", "diary_number"))
    with district_context("muzaffarpur"):
        receiver = list(ExchangeOutbox.objects.values_list("key", "relayed_at"))
    return (
        sender,
        letters,
        receiver,
        list(ExchangeMessage.objects.values_list("key", "delivered_at")),
        ExchangeAttachment.objects.count(),
        [(i.key, i.status) for i in incoming()],
        _stored_letters("muzaffarpur"),
    )


def _all_steps():
    for _ in range(2):
        relay("vaishali"), deliver("muzaffarpur"), relay("muzaffarpur"), deliver("vaishali")


@pytest.mark.parametrize(
    ("step", "point"),
    [
        ("relay vaishali", "relay.message_written"),
        ("relay vaishali", "relay.attachments_written"),
        ("relay vaishali", "relay.before_commit"),
        ("deliver muzaffarpur", "deliver.files_copied"),
        ("deliver muzaffarpur", "deliver.incoming_written"),
        ("deliver muzaffarpur", "deliver.before_mark"),
        ("relay muzaffarpur", "relay.message_written"),
        ("relay muzaffarpur", "relay.before_commit"),
        ("deliver vaishali", "deliver.before_mark"),
    ],
)
def test_a_crash_at_any_point_loses_and_doubles_nothing(ef, monkeypatch, step, point):
    already = set(_stored_letters("muzaffarpur"))  # left by earlier runs (rows rolled back)
    letter = send(ef)
    order = ["relay vaishali", "deliver muzaffarpur", "relay muzaffarpur", "deliver vaishali"]
    for earlier in order[: order.index(step)]:
        action, slug = earlier.split()
        (relay if action == "relay" else deliver)(slug)
    before = _state()
    action, slug = step.split()
    _crash_at(monkeypatch, point)
    if action == "relay":
        with pytest.raises(Crash):
            relay(slug)
    else:
        # The delivery records the failure on the message and goes on; nothing else is written.
        with pytest.raises(Crash):
            deliver(slug)
    assert _state() == before  # the step left everything as it found it (files too)
    monkeypatch.undo()

    _all_steps()
    [arrived] = incoming()
    [doc] = arrived.documents
    new = set(_stored_letters("muzaffarpur")) - already
    assert new == {district_media_dir("muzaffarpur") / doc["stored_name"]}  # one copy, no orphan
    with district_context("muzaffarpur"):
        receipt = incoming_letter_diarise(actor=ef.actor("other"), post=ef.posts["other"], incoming=arrived)
    _all_steps()
    with district_context("vaishali"):
        letter.refresh_from_db()
    assert (letter.status, letter.diary_number) == (OutgoingLetter.Status.DIARISED, receipt.diary_number)
    assert ExchangeMessage.objects.filter(kind="letter").count() == 1
    assert ExchangeMessage.objects.filter(kind="status").count() == 2
    assert ExchangeAttachment.objects.count() == 1
    with district_context("muzaffarpur"):
        assert Receipt.objects.filter(letter_reference=arrived.number).count() == 1


def test_a_crash_inside_diarising_leaves_the_letter_waiting_and_sends_no_status(ef, monkeypatch):
    send(ef)
    relay("vaishali"), deliver("muzaffarpur"), relay("muzaffarpur"), deliver("vaishali")
    [arrived] = incoming()
    import core.letters.diarise as diarise_module

    def crash(**kwargs):
        raise Crash("status")

    monkeypatch.setattr(diarise_module, "status_reply", crash)
    with district_context("muzaffarpur"):
        with pytest.raises(Crash):
            incoming_letter_diarise(actor=ef.actor("other"), post=ef.posts["other"], incoming=arrived)
        assert not Receipt.objects.exists()
        assert ExchangeOutbox.objects.filter(relayed_at__isnull=True).count() == 0
    [arrived] = incoming()
    assert arrived.status == "delivered"
