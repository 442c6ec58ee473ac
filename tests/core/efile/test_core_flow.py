"""The first services every e-File page builds on: diarise and mark dak, open and send a file."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.base.audit import audit_verify
from core.efile.services.dispatch import dispatch_record
from core.efile.services.movement import file_receive, file_send
from core.efile.services.receipts import receipt_diarise, receipt_send
from core.models import AuditEvent, Receipt
from tenants.context import district_context
from tests.core.efile.filework import dak_of, gen_file


def test_clerk_diarises_marks_dak_and_opens_and_sends_a_file(ef):
    with district_context("vaishali"):
        receipt = dak_of(
            ef,
            sender="पुलिस महानिरीक्षक, तिरहुत क्षेत्र",
            subject="ई-ऑफिस प्रणाली लागू करने के संबंध में",
            received_on=datetime.date(2025, 3, 21),
        )
        assert receipt.diary_number == "SPVAI/2025/000001"
        receipt_send(actor=ef.actor("clerk"), receipt=receipt, to_post=ef.posts["sdpo"], remarks="For action")
        receipt.refresh_from_db()
        assert receipt.current_post == ef.posts["sdpo"]

        file = gen_file(ef.actor("clerk"), ef.posts["clerk"], "E-Office rollout, phase 1")
        assert file.number == f"SPVAI/GEN/{timezone.localdate().year}/0001"
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"], remarks="Put up")
        with pytest.raises(ValidationError):  # no longer at the clerk's post
            file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sp"])
        file_receive(actor=ef.actor("sdpo"), file=file)
        dispatch = dispatch_record(
            actor=ef.actor("clerk"),
            post=ef.posts["clerk"],
            addressee="IG Tirhut",
            subject="Report",
            file=file,
        )
        assert dispatch.number == f"SPVAI/D/{timezone.localdate().year}/000001"

        actions = list(AuditEvent.objects.order_by("id").values_list("action", "post_id"))[-6:]
        assert actions == [
            ("receipt.diarise", ef.posts["clerk"].pk),
            ("receipt.send", ef.posts["clerk"].pk),
            ("file.create", ef.posts["clerk"].pk),
            ("file.send", ef.posts["clerk"].pk),
            ("file.receive", ef.posts["sdpo"].pk),
            ("dispatch.record", ef.posts["clerk"].pk),
        ]
        assert audit_verify().ok


def test_bad_input_is_refused_and_leaves_no_row(ef):
    with district_context("vaishali"):
        before = Receipt.objects.count()
        with pytest.raises(ValidationError) as refused:
            dak_of(ef, mode="pigeon", sender="x", subject="y")
        assert "mode" in refused.value.message_dict
        with pytest.raises(ValidationError):
            receipt_diarise(
                actor=ef.actor("clerk"), post=ef.posts["sdpo"], mode="hand", sender="x", subject="y"
            )
        with pytest.raises(ValidationError):
            receipt_diarise(
                actor=ef.actor("clerk"), post=ef.posts["clerk"], mode="hand", sender="x", subject="a\x00b"
            )
        assert Receipt.objects.count() == before
