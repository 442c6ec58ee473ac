"""Dak forms and services: the manual outward entry links no file (even a forged one), closed dak
offers no upload, and remarks on dak are capped like a file's."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.efile.services.receipts import receipt_attach, receipt_close, receipt_send
from core.models import AuditEvent, Dispatch, Movement, Receipt
from tenants.context import district_context
from tests.core.efile.filework import open_file
from tests.core.efile.test_receipts import diarise

TODAY = timezone.localdate()
OUTWARD = {"dispatched_on": TODAY.isoformat(), "mode": "post", "addressee": "IG", "subject": "Report"}


def test_the_manual_outward_form_offers_no_file_and_a_forged_file_is_not_linked(ef):
    with district_context("vaishali"):
        file = open_file(ef)
    clerk = ef.client("clerk")
    page = clerk.get("/dak/outward/new/")
    assert page.status_code == 200 and "file" not in page.context["form"].fields
    assert file.number not in page.content.decode()
    response = clerk.post("/dak/outward/new/", {**OUTWARD, "file": file.pk})
    assert response.status_code == 302
    with district_context("vaishali"):
        dispatch = Dispatch.objects.get()
        assert dispatch.file is None and not file.dispatches.exists()
        event = AuditEvent.objects.get(action="dispatch.record", target_id=str(dispatch.pk))
        assert event.details["file"] is None
    # Nor does it show on the file's correspondence side.
    page = clerk.get(f"/files/{file.pk}/")
    assert [item.kind for item in page.context["detail"].correspondence] == []


def _upload_url(receipt):
    return f"/documents/receipt/{receipt.pk}/upload/"


def test_closed_dak_offers_no_upload_but_filed_and_open_dak_do(ef):
    with district_context("vaishali"):
        open_one, filed, closed = diarise(ef), diarise(ef), diarise(ef)
        receipt_attach(actor=ef.actor("clerk"), receipt=filed, file=open_file(ef))
        receipt_close(actor=ef.actor("clerk"), receipt=closed, remark="Filed, no action")
    clerk = ef.client("clerk")
    for receipt, offered in ((open_one, True), (filed, True), (closed, False)):
        page = clerk.get(f"/dak/{receipt.pk}/")
        assert page.status_code == 200
        assert (_upload_url(receipt) in page.content.decode()) is offered, receipt.status
    # Someone who only sees the dak (the SP, over the office) is offered no upload either.
    assert _upload_url(open_one) not in ef.client("sp").get(f"/dak/{open_one.pk}/").content.decode()


LIMIT = "Write at most 2000 characters."


def test_remarks_on_dak_are_capped_at_2000_characters_by_the_services(ef):
    with district_context("vaishali"):
        receipt = diarise(ef)
        with pytest.raises(ValidationError) as refused:
            receipt_send(
                actor=ef.actor("clerk"), receipt=receipt, to_post=ef.posts["sdpo"], remarks="x" * 2001
            )
        assert refused.value.message_dict == {"remarks": [LIMIT]}
        with pytest.raises(ValidationError) as refused:
            receipt_close(actor=ef.actor("clerk"), receipt=receipt, remark="x" * 2001)
        assert refused.value.message_dict == {"remark": [LIMIT]}
        receipt.refresh_from_db()
        assert receipt.status == Receipt.Status.OPEN and receipt.current_post == ef.posts["clerk"]
        assert Movement.objects.filter(receipt=receipt).count() == 1
        receipt_send(actor=ef.actor("clerk"), receipt=receipt, to_post=ef.posts["sdpo"], remarks="x" * 2000)


def test_remarks_on_dak_are_capped_at_2000_characters_by_the_forms(ef):
    with district_context("vaishali"):
        receipt = diarise(ef)
    clerk = ef.client("clerk")
    long = "x" * 2001
    page = clerk.post(f"/dak/{receipt.pk}/mark/", {"to_post": ef.posts["sdpo"].pk, "remarks": long})
    assert page.status_code == 400 and "remarks" in page.context["mark_form"].errors
    page = clerk.post(f"/dak/{receipt.pk}/close/", {"remark": long})
    assert page.status_code == 400 and "remark" in page.context["close_form"].errors
    data = {"received_on": TODAY.isoformat(), "mode": "post", "sender": "DM", "subject": "Flood duty"}
    page = clerk.post("/dak/new/", {**data, "to_post": ef.posts["sdpo"].pk, "remarks": long})
    assert page.status_code == 200 and "remarks" in page.context["form"].errors
    with district_context("vaishali"):
        assert Receipt.objects.count() == 1
        receipt.refresh_from_db()
        assert receipt.status == Receipt.Status.OPEN and receipt.current_post == ef.posts["clerk"]
