"""A new file opened from a letter (issue 15, point 4): the dak page offers it beside the list of the
viewer's open files to put the letter in; the file opens at the dak's post with the letter in it,
both or neither; nobody else can do it."""

import pytest
from django.core.exceptions import ValidationError

from core.efile.services.dak_files import receipt_file_open
from core.efile.services.receipts import receipt_close, receipt_diarise
from core.models import AuditEvent, EFile, FileHead, Receipt
from tenants.context import district_context
from tests.core.efile.filework import open_file


def _dak(ef, key="clerk", subject="ई-ऑफिस प्रशिक्षण"):
    return receipt_diarise(
        actor=ef.actor(key), post=ef.posts[key], mode=Receipt.Mode.POST, sender="IG Tirhut", subject=subject
    )


def _head():
    return FileHead.objects.get(code="GEN", office=None)


def test_a_file_opened_from_a_letter_holds_it(ef):
    with district_context("vaishali"):
        receipt = _dak(ef)
        file = receipt_file_open(
            actor=ef.actor("clerk"),
            receipt=receipt,
            head=_head(),
            subject="Training for e-Office",
            category=EFile.Category.ADMINISTRATION,
        )
        receipt.refresh_from_db()
        assert file.current_post == ef.posts["clerk"] and file.received_at is not None
        assert receipt.file == file and receipt.status == Receipt.Status.ATTACHED
        actions = set(
            AuditEvent.objects.filter(person_id=ef.people["clerk"].pk).values_list("action", flat=True)
        )
        assert {"file.create", "receipt.attach"} <= actions


def test_nothing_is_opened_for_dak_one_does_not_hold_or_that_is_closed(ef):
    with district_context("vaishali"):
        receipt = _dak(ef)
        files = EFile.objects.count()
        with pytest.raises(ValidationError):
            receipt_file_open(
                actor=ef.actor("sdpo"),
                receipt=receipt,
                head=_head(),
                subject="x",
                category=EFile.Category.OTHER,
            )
        receipt_close(actor=ef.actor("clerk"), receipt=receipt, remark="Filed")
        with pytest.raises(ValidationError):
            receipt_file_open(
                actor=ef.actor("clerk"),
                receipt=receipt,
                head=_head(),
                subject="x",
                category=EFile.Category.OTHER,
            )
        assert EFile.objects.count() == files


def test_the_dak_page_offers_a_new_file_and_the_open_files(ef):
    with district_context("vaishali"):
        receipt = _dak(ef, subject="Computers for Mahua")
        existing = open_file(ef)
        head = _head()
    clerk = ef.client("clerk")
    page = clerk.get(f"/dak/{receipt.pk}/").content.decode()
    assert "Open a new file from this letter" in page and f"/dak/{receipt.pk}/new-file/" in page
    assert 'value="Computers for Mahua"' in page  # the letter's subject to start with
    assert existing.number in page  # the open files to put it in
    response = clerk.post(
        f"/dak/{receipt.pk}/new-file/",
        {
            "newfile-post": ef.posts["clerk"].pk,
            "newfile-head": head.pk,
            "newfile-subject": "Computers for Mahua",
            "newfile-category": EFile.Category.ADMINISTRATION,
            "newfile-priority": EFile.Priority.NORMAL,
            "newfile-confidentiality": EFile.Confidentiality.NORMAL,
        },
    )
    assert response.status_code == 302
    with district_context("vaishali"):
        receipt.refresh_from_db()
        assert receipt.file is not None and response.url == f"/files/{receipt.file_id}/"
    assert receipt.diary_number in clerk.get(response.url).content.decode()
    # A missing subject: the page says so and nothing is opened.
    with district_context("vaishali"):
        other = _dak(ef)
        files = EFile.objects.count()
    response = clerk.post(f"/dak/{other.pk}/new-file/", {"newfile-post": ef.posts["clerk"].pk})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    with district_context("vaishali"):
        assert EFile.objects.count() == files


def test_new_file_from_dak_is_404_to_another_district_and_to_those_without_it(ef):
    with district_context("vaishali"):
        receipt = _dak(ef)
        files = EFile.objects.count()
    data = {"newfile-post": ef.posts["clerk"].pk, "newfile-subject": "x"}
    for client in (ef.client("other"), ef.client("sho")):
        assert client.post(f"/dak/{receipt.pk}/new-file/", data).status_code == 404
    with district_context("vaishali"):
        assert EFile.objects.count() == files
