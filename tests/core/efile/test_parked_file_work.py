"""A parked or closed file takes no work, whatever the way in: no dak put into it, no papers or
versions added, no outward letter entered from it; each refusal says what a note would, and the
pages do not offer what would be refused."""

import pytest
from django.core.exceptions import ValidationError

from core.efile.services.dispatch import dispatch_record
from core.efile.services.documents import document_upload, document_version_add
from core.efile.services.movement import file_close, file_park, file_unpark
from core.efile.services.notes import note_add
from core.efile.services.receipts import receipt_attach
from core.models import Dispatch, Document, DocumentVersion, EFile, Receipt
from tenants.context import district_context
from tests.core.efile import samples
from tests.core.efile.filework import open_file
from tests.core.efile.samples import upload
from tests.core.efile.test_receipts import diarise


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _stop(ef, file: EFile, how: str) -> EFile:
    if how == "parked":
        file_park(actor=ef.actor("clerk"), file=file, remarks="Awaiting the thana's report")
    else:
        file_close(actor=ef.actor("clerk"), file=file, remark="Done")
    file.refresh_from_db()
    return file


def _note_refusal(ef, file: EFile) -> str:
    """What a note on the file is told: the message every other way in must give."""
    with pytest.raises(ValidationError) as refused:
        note_add(actor=ef.actor("clerk"), file=file, body="A note")
    return refused.value.messages[0]


HOWS = ["parked", "closed"]


@pytest.mark.parametrize("how", HOWS)
def test_dak_is_not_put_into_a_stopped_file(ef, how):
    with district_context("vaishali"):
        file = _stop(ef, open_file(ef), how)
        receipt = diarise(ef)
        with pytest.raises(ValidationError) as refused:
            receipt_attach(actor=ef.actor("clerk"), receipt=receipt, file=file)
        assert refused.value.message_dict["file"] == [_note_refusal(ef, file)]
        receipt.refresh_from_db()
        assert receipt.status == Receipt.Status.OPEN and receipt.file is None


@pytest.mark.parametrize("how", HOWS)
def test_papers_and_versions_are_not_added_to_a_stopped_file(ef, how, media):
    with district_context("vaishali"):
        file = open_file(ef)
        (document,) = document_upload(
            actor=ef.actor("clerk"), file=file, uploads=[upload("a.png", samples.image_bytes())]
        )
        file = _stop(ef, file, how)
        with pytest.raises(ValidationError) as refused:
            document_upload(
                actor=ef.actor("clerk"), file=file, uploads=[upload("b.png", samples.image_bytes())]
            )
        assert refused.value.messages == [_note_refusal(ef, file)]
        with pytest.raises(ValidationError) as refused:
            document_version_add(
                actor=ef.actor("clerk"), document=document, upload=upload("c.pdf", samples.pdf_bytes())
            )
        assert refused.value.messages == [_note_refusal(ef, file)]
        assert Document.objects.count() == 1 and DocumentVersion.objects.count() == 1
    assert len([p for p in media.rglob("*") if p.is_file()]) == 2  # the first version and its preview


@pytest.mark.parametrize("how", HOWS)
def test_no_outward_letter_is_entered_from_a_stopped_file(ef, how):
    with district_context("vaishali"):
        file = _stop(ef, open_file(ef), how)
        with pytest.raises(ValidationError) as refused:
            dispatch_record(
                actor=ef.actor("clerk"), post=ef.posts["clerk"], addressee="IG", subject="Reply", file=file
            )
        assert refused.value.messages == [_note_refusal(ef, file)]
        assert not Dispatch.objects.exists()


def test_taken_up_again_the_file_takes_work_again(ef):
    with district_context("vaishali"):
        file = _stop(ef, open_file(ef), "parked")
        file_unpark(actor=ef.actor("clerk"), file=file)
        receipt = receipt_attach(actor=ef.actor("clerk"), receipt=diarise(ef), file=file)
        document_upload(actor=ef.actor("clerk"), file=file, uploads=[upload("a.png", samples.image_bytes())])
        dispatch_record(
            actor=ef.actor("clerk"), post=ef.posts["clerk"], addressee="IG", subject="R", file=file
        )
        assert Receipt.objects.filter(pk=receipt.pk, status=Receipt.Status.ATTACHED, file=file).exists()
        assert Document.objects.filter(file=file).count() == 1
        assert list(Dispatch.objects.values_list("file_id", "subject")) == [(file.pk, "R")]


def test_pages_do_not_offer_a_parked_file_for_dak_nor_an_upload_to_it(ef):
    with district_context("vaishali"):
        parked = _stop(ef, open_file(ef), "parked")
        working = open_file(ef)
        receipt = diarise(ef)
    clerk = ef.client("clerk")
    page = clerk.get(f"/dak/{receipt.pk}/")
    choices = [value for value, _label in page.context["attach_form"].fields["file"].choices]
    assert working.pk in choices and parked.pk not in choices
    refused = clerk.post(f"/dak/{receipt.pk}/attach/", {"file": parked.pk})
    assert refused.status_code == 400 and "file" in refused.context["attach_form"].errors
    upload_url = f"/documents/file/{parked.pk}/upload/"
    assert upload_url not in clerk.get(f"/files/{parked.pk}/").content.decode()
    assert f"/documents/file/{working.pk}/upload/" in clerk.get(f"/files/{working.pk}/").content.decode()
