"""A letter from Vaishali's SP to Muzaffarpur's SP office: sent (outbox), relayed (public
exchange), delivered (an incoming letter with copies of its documents in Muzaffarpur's storage),
diarised by Muzaffarpur's dak clerk as an ordinary receipt, and "delivered", then "diarised" with
the diary number, back in Vaishali."""

import hashlib

from core.letters.diarise import incoming_letter_diarise
from core.letters.files import stored_bytes
from core.models import AuditEvent, Document, ExchangeOutbox, OutgoingLetter, Receipt
from tenants.context import district_context
from tenants.models import ExchangeAttachment, ExchangeMessage
from tenants.storage import district_media_dir
from tests.core.letters.letterwork import deliver, incoming, relay, send


def test_a_letter_travels_is_diarised_and_the_sender_sees_delivered_then_diarised(ef):
    letter = send(ef)
    assert letter.status == OutgoingLetter.Status.QUEUED
    with district_context("vaishali"):
        dispatch = letter.dispatch
        row = ExchangeOutbox.objects.get(key=letter.key)
        assert row.relayed_at is None and row.payload["documents"][0]["stored_name"].startswith("letters/")
        assert AuditEvent.objects.filter(action="letter.send", target_id=str(letter.pk)).exists()
    assert not ExchangeMessage.objects.exists()  # nothing leaves before the relay

    assert relay("vaishali") == {"muzaffarpur"}
    message = ExchangeMessage.objects.get(key=letter.key)
    # The public copy names no path of the sender's storage.
    assert "stored_name" not in str(message.payload)
    assert ExchangeAttachment.objects.filter(message=message).count() == 1

    assert deliver("muzaffarpur") == 1
    [arrived] = incoming()
    assert (arrived.sender_post, arrived.from_district_name) == ("SP Vaishali", "Vaishali")
    assert arrived.subject == dispatch.subject and arrived.number == dispatch.number
    [doc] = arrived.documents
    copy = district_media_dir("muzaffarpur") / doc["stored_name"]
    assert copy.is_file() and hashlib.sha256(copy.read_bytes()).hexdigest() == doc["sha256"]
    assert copy.read_bytes().startswith(b"%PDF")

    relay("muzaffarpur")
    deliver("vaishali")
    with district_context("vaishali"):
        letter.refresh_from_db()
    assert letter.status == OutgoingLetter.Status.DELIVERED and letter.diary_number == ""

    with district_context("muzaffarpur"):
        receipt = incoming_letter_diarise(actor=ef.actor("other"), post=ef.posts["other"], incoming=arrived)
        assert receipt.letter_reference == dispatch.number
        assert receipt.sender.startswith("SP Vaishali") and receipt.status == Receipt.Status.OPEN
        assert receipt.current_post == ef.posts["other"]
        [paper] = Document.objects.filter(receipt=receipt)
        assert paper.versions.get().sha256 == doc["sha256"]
        diary = receipt.diary_number
    relay("muzaffarpur")
    deliver("vaishali")
    with district_context("vaishali"):
        letter.refresh_from_db()
    assert letter.status == OutgoingLetter.Status.DIARISED and letter.diary_number == diary
    with district_context("vaishali"):
        assert AuditEvent.objects.filter(action="letter.diarised", target_id=str(letter.pk)).exists()
        # The sender knows the number and nothing else of the receiver: no receipt row here.
        assert not Receipt.objects.filter(diary_number=diary).exists()
    with district_context("vaishali"):
        assert stored_bytes(row.payload["documents"][0]["stored_name"], doc["sha256"])


def test_every_step_rerun_after_success_changes_nothing(ef):
    letter = send(ef)
    relay("vaishali")
    deliver("muzaffarpur")
    relay("muzaffarpur")
    deliver("vaishali")
    counts = (ExchangeMessage.objects.count(), ExchangeAttachment.objects.count(), len(incoming()))
    assert counts == (2, 1, 1)  # the letter and its "delivered"
    for _ in range(2):
        assert relay("vaishali") == set() and relay("muzaffarpur") == set()
        assert deliver("muzaffarpur") == 0 and deliver("vaishali") == 0
    # A delivery replayed as if its mark had been lost: the key refuses a second letter.
    ExchangeMessage.objects.filter(key=letter.key).update(delivered_at=None)
    assert deliver("muzaffarpur") == 1
    assert (ExchangeMessage.objects.count(), ExchangeAttachment.objects.count(), len(incoming())) == counts
    with district_context("muzaffarpur"):
        assert ExchangeOutbox.objects.count() == 1
        assert AuditEvent.objects.filter(action="letter.deliver").count() == 1
