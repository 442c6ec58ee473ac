"""Acting on a file or dak at one's post takes it in (issue 15, point 4): the track never shows
"not yet taken in" for an officer who noted, sent, returned, parked, closed or drafted on it, and
the taking-in is audited with the action that did it."""

import pytest

from core.efile.selectors.track import item_track
from core.efile.services.drafts import draft_create
from core.efile.services.movement import file_close, file_park, file_receive, file_return, file_send
from core.efile.services.notes import note_add
from core.efile.services.receipts import receipt_attach, receipt_close, receipt_diarise, receipt_send
from core.models import AuditEvent, Movement, Receipt
from tenants.context import district_context
from tests.core.efile.filework import LETTER, dak_of, open_file


def _arrival(item, post):
    """The movement that brought ``item`` to ``post`` last."""
    owner = {"file": item} if hasattr(item, "number") else {"receipt": item}
    return (
        Movement.objects.filter(**owner, to_post=post).exclude(from_post=post).order_by("-at", "-id").first()
    )


def _sent_to_sdpo(ef):
    file = open_file(ef)
    file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"], remarks="Put up")
    file.refresh_from_db()
    assert file.received_at is None
    return file


def _receives(item, kind):
    return list(
        AuditEvent.objects.filter(action=f"{kind}.receive", target_id=str(item.pk)).values_list(
            "details", flat=True
        )
    )


@pytest.mark.parametrize(
    "act, on",
    [
        (lambda ef, f: note_add(actor=ef.actor("sdpo"), file=f, body="Seen."), "note.add"),
        (lambda ef, f: file_send(actor=ef.actor("sdpo"), file=f, to_post=ef.posts["sp"]), "file.send"),
        (lambda ef, f: file_return(actor=ef.actor("sdpo"), file=f, remarks="No"), "file.return"),
        (lambda ef, f: file_park(actor=ef.actor("sdpo"), file=f), "file.park"),
        (lambda ef, f: file_close(actor=ef.actor("sdpo"), file=f, remark="Done"), "file.close"),
        (lambda ef, f: draft_create(actor=ef.actor("sdpo"), file=f, **LETTER), "draft.create"),
    ],
    ids=["note", "send", "return", "park", "close", "draft"],
)
def test_acting_on_a_file_takes_it_in(ef, act, on):
    with district_context("vaishali"):
        file = _sent_to_sdpo(ef)
        act(ef, file)
        file.refresh_from_db()
        arrival = _arrival(file, ef.posts["sdpo"])
        assert arrival.received_at is not None and arrival.received_by == ef.people["sdpo"]
        steps = {step.movement.pk: step for step in item_track(file).steps}
        assert steps[arrival.pk].movement.received_at is not None
        assert _receives(file, "file") == [{"on": on}]
        event = AuditEvent.objects.get(action="file.receive", target_id=str(file.pk))
        assert event.person_id == ef.people["sdpo"].pk and event.post_id == ef.posts["sdpo"].pk


def test_a_file_taken_in_already_is_not_taken_in_again(ef):
    with district_context("vaishali"):
        file = _sent_to_sdpo(ef)
        file_receive(actor=ef.actor("sdpo"), file=file)
        file.refresh_from_db()
        first = file.received_at
        note_add(actor=ef.actor("sdpo"), file=file, body="Seen.")
        file_send(actor=ef.actor("sdpo"), file=file, to_post=ef.posts["sp"])
        assert _arrival(file, ef.posts["sdpo"]).received_at == first
        assert _receives(file, "file") == [{}]


def test_a_refused_action_takes_nothing_in(ef):
    """A send refused (to the post it is at) leaves the file waiting as new: nothing was done."""
    from django.core.exceptions import ValidationError

    with district_context("vaishali"):
        file = _sent_to_sdpo(ef)
        with pytest.raises(ValidationError):
            file_send(actor=ef.actor("sdpo"), file=file, to_post=ef.posts["sdpo"])
        with pytest.raises(ValidationError):  # not their post: the SP cannot take it in by noting
            note_add(actor=ef.actor("sp"), file=file, body="x")
        file.refresh_from_db()
        assert file.received_at is None and _receives(file, "file") == []


def test_acting_on_dak_takes_it_in(ef):
    with district_context("vaishali"):
        fields = {"mode": Receipt.Mode.POST, "sender": "IG Tirhut", "subject": "Training"}
        for act, on in (
            (
                lambda r: receipt_send(actor=ef.actor("sdpo"), receipt=r, to_post=ef.posts["sp"]),
                "receipt.send",
            ),
            (lambda r: receipt_close(actor=ef.actor("sdpo"), receipt=r, remark="Filed"), "receipt.close"),
            (
                lambda r: receipt_attach(actor=ef.actor("sdpo"), receipt=r, file=open_file(ef, "sdpo")),
                "receipt.attach",
            ),
        ):
            receipt = receipt_diarise(actor=ef.actor("clerk"), post=ef.posts["clerk"], **fields)
            receipt_send(actor=ef.actor("clerk"), receipt=receipt, to_post=ef.posts["sdpo"])
            receipt.refresh_from_db()
            act(receipt)
            assert _arrival(receipt, ef.posts["sdpo"]).received_by == ef.people["sdpo"]
            assert _receives(receipt, "receipt")[-1] == {"on": on}


def test_adding_a_paper_to_a_file_or_dak_takes_it_in(ef):
    """A scan uploaded to a file (or a new version of it), or to dak, is acting on it."""
    from core.efile.services.documents import document_upload, document_version_add
    from tests.core.efile import samples

    with district_context("vaishali"):
        file = _sent_to_sdpo(ef)
        [document] = document_upload(
            actor=ef.actor("sdpo"), file=file, uploads=[samples.upload("report.pdf", samples.pdf_bytes())]
        )
        assert _arrival(file, ef.posts["sdpo"]).received_by == ef.people["sdpo"]
        assert _receives(file, "file") == [{"on": "document.upload"}]

        file_send(actor=ef.actor("sdpo"), file=file, to_post=ef.posts["sp"])
        file.refresh_from_db()
        document = type(document).objects.get(pk=document.pk)  # as the page loads it: at the SP's post
        document_version_add(
            actor=ef.actor("sp"), document=document, upload=samples.upload("v2.pdf", samples.pdf_bytes(2))
        )
        assert _arrival(file, ef.posts["sp"]).received_by == ef.people["sp"]
        assert _receives(file, "file")[-1] == {"on": "document.version_add"}

        receipt = dak_of(ef, sender="IG", subject="Scan")
        receipt_send(actor=ef.actor("clerk"), receipt=receipt, to_post=ef.posts["sdpo"])
        receipt.refresh_from_db()
        document_upload(
            actor=ef.actor("sdpo"), receipt=receipt, uploads=[samples.upload("scan.pdf", samples.pdf_bytes())]
        )
        assert _arrival(receipt, ef.posts["sdpo"]).received_by == ef.people["sdpo"]
        assert _receives(receipt, "receipt") == [{"on": "document.upload"}]


def test_a_refused_upload_takes_nothing_in(ef):
    """A renamed executable refused by the content check leaves the file waiting as new."""
    from django.core.exceptions import ValidationError

    from core.efile.services.documents import document_upload
    from tests.core.efile import samples

    with district_context("vaishali"):
        file = _sent_to_sdpo(ef)
        with pytest.raises(ValidationError):
            document_upload(
                actor=ef.actor("sdpo"),
                file=file,
                uploads=[samples.upload("report.pdf", b"MZ\x90\x00" + b"\0" * 64)],
            )
        file.refresh_from_db()
        assert file.received_at is None and _receives(file, "file") == []
