"""Only a senior decides on a draft: the file's post must be a supervising one (SP, Addl. SP, DSP,
SDPO, SHO, inspector). A clerk or an SI holding the file is refused, and not offered the forms."""

import pytest
from django.core.exceptions import ValidationError

from core.efile.services.drafts import draft_approve, draft_create, draft_return
from core.efile.services.movement import file_receive, file_send
from core.models import Dispatch, Draft, Note
from tenants.context import district_context
from tests.core.efile.filework import LETTER, open_file


def _drafted_and_sent_to(ef, key):
    """A file opened and drafted on by the SP office's clerk, then sent to ``key``, who takes it in."""
    file = open_file(ef)
    draft = draft_create(actor=ef.actor("clerk"), file=file, **LETTER)
    file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts[key], remarks="For approval")
    file_receive(actor=ef.actor(key), file=file)
    return file, draft


@pytest.mark.parametrize("key", ["si", "sdpoclerk"])
def test_a_subordinate_holding_the_file_can_neither_approve_nor_return(ef, key):
    with district_context("vaishali"):
        file, draft = _drafted_and_sent_to(ef, key)
        for decide in (
            lambda: draft_approve(actor=ef.actor(key), draft=draft),
            lambda: draft_return(actor=ef.actor(key), draft=draft, note="Redo it"),
        ):
            with pytest.raises(ValidationError) as refused:
                decide()
            assert refused.value.code == "not_supervisor"
            assert "supervising officer" in refused.value.messages[0]
        assert Draft.objects.get(pk=draft.pk).status == Draft.Status.PENDING
        assert not Dispatch.objects.exists() and not Note.objects.filter(file=file).exists()


@pytest.mark.parametrize("key", ["sho", "sdpo", "sp"])
def test_a_supervising_post_holding_the_file_approves(ef, key):
    with district_context("vaishali"):
        _file, draft = _drafted_and_sent_to(ef, key)
        draft_approve(actor=ef.actor(key), draft=draft)
        assert Draft.objects.get(pk=draft.pk).status == Draft.Status.DISPATCHED


def test_a_supervising_post_returns(ef):
    with district_context("vaishali"):
        _file, draft = _drafted_and_sent_to(ef, "sho")
        draft_return(actor=ef.actor("sho"), draft=draft, note="Add the FIR numbers.")
        assert Draft.objects.get(pk=draft.pk).status == Draft.Status.RETURNED


def test_the_file_page_offers_the_decision_only_to_a_supervising_post(ef):
    with district_context("vaishali"):
        file, draft = _drafted_and_sent_to(ef, "si")
    approve_url = f"/files/{file.pk}/drafts/{draft.pk}/approve/"
    return_url = f"/files/{file.pk}/drafts/{draft.pk}/return/"
    si = ef.client("si")
    page = si.get(f"/files/{file.pk}/").content.decode()
    assert approve_url not in page and return_url not in page
    # A forged approval is refused with the reason, and nothing goes out.
    refused = si.post(approve_url, {f"d{draft.pk}-mode": "post"})
    assert refused.status_code == 200 and "supervising officer" in refused.content.decode()
    refused = si.post(return_url, {f"d{draft.pk}-note": "No"})
    assert refused.status_code == 200 and "supervising officer" in refused.content.decode()
    with district_context("vaishali"):
        assert not Dispatch.objects.exists()
        assert Draft.objects.get(pk=draft.pk).status == Draft.Status.PENDING
        file_send(actor=ef.actor("si"), file=file, to_post=ef.posts["sho"])
        file_receive(actor=ef.actor("sho"), file=file)
    page = ef.client("sho").get(f"/files/{file.pk}/").content.decode()
    assert approve_url in page and return_url in page
