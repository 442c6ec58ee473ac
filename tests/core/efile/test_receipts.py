"""Dak services: take in, put in a file, close with a remark, record a view — for the right post
and for wrong ones, each refusal leaving nothing behind."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.base.access import receipt_for, viewer_for
from core.base.audit import audit_verify
from core.efile.services.movement import file_send
from core.efile.services.receipts import (
    receipt_attach,
    receipt_close,
    receipt_diarise,
    receipt_receive,
    receipt_send,
    receipt_view_record,
)
from core.models import AuditEvent, EFile, Movement, Receipt
from tenants.context import district_context
from tests.core.efile.filework import gen_file


def diarise(ef, key="clerk", **extra):
    fields = {"mode": Receipt.Mode.POST, "sender": "IG Tirhut", "subject": "ई-ऑफिस प्रशिक्षण", **extra}
    return receipt_diarise(actor=ef.actor(key), post=ef.posts[key], **fields)


def open_file(ef, key="clerk", **extra):
    return gen_file(ef.actor(key), ef.posts[key], "Training", **extra)


def _state(receipt):
    receipt.refresh_from_db()
    return (receipt.status, receipt.file_id, receipt.received_at, receipt.closed_at, receipt.close_remark)


def test_marked_dak_waits_new_until_a_holder_takes_it_in(ef):
    with district_context("vaishali"):
        receipt = diarise(ef)
        receipt_send(actor=ef.actor("clerk"), receipt=receipt, to_post=ef.posts["sdpo"], remarks="See")
        receipt.refresh_from_db()
        assert receipt.received_at is None
        with pytest.raises(ValidationError):  # not at the clerk's post any more
            receipt_receive(actor=ef.actor("clerk"), receipt=receipt)
        receipt_receive(actor=ef.actor("sdpo"), receipt=receipt)
        receipt.refresh_from_db()
        assert receipt.received_at is not None
        step = Movement.objects.filter(receipt=receipt).latest("id")
        assert step.received_by == ef.people["sdpo"] and step.received_at == receipt.received_at
        events = AuditEvent.objects.filter(action="receipt.receive", target_id=str(receipt.pk))
        assert list(events.values_list("post_id", flat=True)) == [ef.posts["sdpo"].pk]
        receipt_receive(actor=ef.actor("sdpo"), receipt=receipt)  # twice: nothing more recorded
        assert events.count() == 1


def test_dak_put_in_a_file_shows_with_the_file_and_is_no_longer_open(ef):
    with district_context("vaishali"):
        receipt, file = diarise(ef), open_file(ef)
        before = file.updated_at
        receipt_attach(actor=ef.actor("clerk"), receipt=receipt, file=file)
        receipt.refresh_from_db()
        file.refresh_from_db()
        assert receipt.status == Receipt.Status.ATTACHED and receipt.file == file
        assert list(file.receipts.all()) == [receipt]
        assert file.updated_at > before
        event = AuditEvent.objects.get(action="receipt.attach")
        assert event.details["file"] == file.pk and event.post_id == ef.posts["clerk"].pk
        with pytest.raises(ValidationError):  # no longer open: cannot be marked, closed or put again
            receipt_send(actor=ef.actor("clerk"), receipt=receipt, to_post=ef.posts["sp"])
        with pytest.raises(ValidationError):
            receipt_close(actor=ef.actor("clerk"), receipt=receipt, remark="x")
        # The SDPO sees the receipt once the file (and so its correspondence) reaches them.
        assert receipt_for(viewer_for(ef.people["sdpo"]), receipt.pk) is None
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"])
        assert receipt_for(viewer_for(ef.people["sdpo"]), receipt.pk) == receipt
        assert audit_verify().ok


def test_attach_refused_unless_both_are_at_my_posts_and_the_file_is_open(ef):
    with district_context("vaishali"):
        receipt = diarise(ef)
        elsewhere = open_file(ef, "sdpoclerk")
        with pytest.raises(ValidationError) as refused:
            receipt_attach(actor=ef.actor("clerk"), receipt=receipt, file=elsewhere)
        assert "file" in refused.value.message_dict
        mine = open_file(ef)
        with pytest.raises(ValidationError):  # the receipt is not at the SDPO clerk's post
            receipt_attach(actor=ef.actor("sdpoclerk"), receipt=receipt, file=elsewhere)
        EFile.objects.filter(pk=mine.pk).update(status=EFile.Status.CLOSED)
        with pytest.raises(ValidationError) as refused:
            receipt_attach(actor=ef.actor("clerk"), receipt=receipt, file=mine)
        assert "file" in refused.value.message_dict
        assert _state(receipt)[:2] == (Receipt.Status.OPEN, None)
        assert not AuditEvent.objects.filter(action="receipt.attach").exists()


def test_close_needs_a_remark_and_the_holder(ef):
    with district_context("vaishali"):
        receipt = diarise(ef)
        before = _state(receipt)
        for remark in ("", "   ", "bad\x00text"):
            with pytest.raises(ValidationError) as refused:
                receipt_close(actor=ef.actor("clerk"), receipt=receipt, remark=remark)
            assert "remark" in refused.value.message_dict
        with pytest.raises(ValidationError):
            receipt_close(actor=ef.actor("sp"), receipt=receipt, remark="Seen")  # sees it, does not hold it
        assert _state(receipt) == before
        assert not Movement.objects.filter(receipt=receipt, action=Movement.Action.CLOSED).exists()
        receipt_close(actor=ef.actor("clerk"), receipt=receipt, remark="  No action needed  ")
        status, _file, _received, closed_at, remark = _state(receipt)
        assert status == Receipt.Status.CLOSED and closed_at and remark == "No action needed"
        step = Movement.objects.filter(receipt=receipt).latest("id")
        assert step.action == Movement.Action.CLOSED and step.remarks == "No action needed"
        assert AuditEvent.objects.filter(action="receipt.close", target_id=str(receipt.pk)).count() == 1
        with pytest.raises(ValidationError):
            receipt_close(actor=ef.actor("clerk"), receipt=receipt, remark="again")


def test_view_is_recorded_with_the_actor(ef):
    with district_context("vaishali"):
        receipt = diarise(ef, received_on=datetime.date(2025, 1, 2))
        receipt_view_record(actor=ef.actor("sp"), receipt=receipt)
        event = AuditEvent.objects.latest("id")
        assert (event.action, event.target_id, event.person_id) == (
            "receipt.view",
            str(receipt.pk),
            ef.people["sp"].pk,
        )
