"""Drafts for approval: drafted at one post, approved (→ outward dak, a note, the drafter told)
or returned with a note by a senior holding the file."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.base.audit import audit_verify
from core.efile.services.drafts import draft_approve, draft_create, draft_edit, draft_return
from core.efile.services.movement import file_receive, file_send
from core.models import AuditEvent, Dispatch, Draft, Note, Notification
from tenants.context import district_context
from tests.core.efile.filework import open_file

LETTER = {
    "addressee": "IG Tirhut Range",
    "addressee_address": "Muzaffarpur",
    "subject": "Phase 1 go-live report",
    "body": "Sir, the SP office and the SDPO offices went live on 12 March.",
}


def _drafted_and_sent_up(ef):
    file = open_file(ef)
    draft = draft_create(actor=ef.actor("clerk"), file=file, **LETTER)
    file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"], remarks="For approval")
    file_receive(actor=ef.actor("sdpo"), file=file)
    return file, draft


def test_senior_approves_a_draft_it_becomes_outward_dak_with_a_note_and_the_drafter_is_told(ef):
    with district_context("vaishali"):
        file, draft = _drafted_and_sent_up(ef)
        assert draft.status == Draft.Status.PENDING and draft.author_post == ef.posts["clerk"]
        draft = draft_approve(actor=ef.actor("sdpo"), draft=draft, mode="email", remarks="Send today.")
        draft.refresh_from_db()
        assert draft.status == Draft.Status.DISPATCHED
        assert draft.decided_by == ef.people["sdpo"] and draft.decided_post == ef.posts["sdpo"]
        dispatch = draft.dispatch
        assert dispatch.number == f"SDPOMAH/D/{timezone.localdate().year}/000001"
        assert dispatch.office == ef.offices["ef-sdpo-mahua"] and dispatch.file == file
        assert (dispatch.addressee, dispatch.subject, dispatch.mode) == (
            LETTER["addressee"],
            LETTER["subject"],
            "email",
        )
        note = Note.objects.get(file=file)
        assert dispatch.number in note.body and "Send today." in note.body
        assert note.frozen and note.author_post == ef.posts["sdpo"]
        assert Notification.objects.filter(
            person=ef.people["clerk"], kind=Notification.Kind.DRAFT_APPROVED, file=file
        ).exists()
        actions = list(AuditEvent.objects.order_by("-id").values_list("action", flat=True)[:3])
        assert actions == ["draft.approve", "note.add", "dispatch.record"]
        assert audit_verify().ok
        with pytest.raises(ValidationError) as refused:  # once only
            draft_approve(actor=ef.actor("sdpo"), draft=draft)
        assert refused.value.code == "not_pending"
        with pytest.raises(ValidationError):  # and never changed after
            draft_edit(actor=ef.actor("sdpo"), draft=draft, **{**LETTER, "subject": "Other"})
        assert Dispatch.objects.filter(file=file).count() == 1


def test_the_drafting_post_cannot_approve_its_own_draft(ef):
    with district_context("vaishali"):
        file = open_file(ef)
        draft = draft_create(actor=ef.actor("clerk"), file=file, **LETTER)
        for decide in (
            lambda: draft_approve(actor=ef.actor("clerk"), draft=draft),
            lambda: draft_return(actor=ef.actor("clerk"), draft=draft, note="Fine"),
        ):
            with pytest.raises(ValidationError) as refused:
                decide()
            assert refused.value.code == "own_draft"
        assert not Dispatch.objects.exists()
        assert Draft.objects.get(pk=draft.pk).status == Draft.Status.PENDING


@pytest.mark.parametrize("key", ["sp", "clerk", "sdpoclerk", "other"])
def test_only_a_holder_of_the_files_post_decides(ef, key):
    with district_context("vaishali"):
        _file, draft = _drafted_and_sent_up(ef)
        with pytest.raises(ValidationError):
            draft_approve(actor=ef.actor(key), draft=draft)
        with pytest.raises(ValidationError):
            draft_return(actor=ef.actor(key), draft=draft, note="No")
        assert Draft.objects.get(pk=draft.pk).status == Draft.Status.PENDING
        assert not Dispatch.objects.exists()


def test_return_needs_a_note_then_the_drafter_reworks_it_and_it_awaits_approval_again(ef):
    with district_context("vaishali"):
        file, draft = _drafted_and_sent_up(ef)
        for empty in ("", "  ", "\x00"):
            with pytest.raises(ValidationError) as refused:
                draft_return(actor=ef.actor("sdpo"), draft=draft, note=empty)
            assert "note" in refused.value.message_dict
        assert not Note.objects.filter(file=file).exists()

        draft_return(actor=ef.actor("sdpo"), draft=draft, note="Add the thana figures.")
        draft.refresh_from_db()
        assert draft.status == Draft.Status.RETURNED and draft.decision_note == "Add the thana figures."
        note = Note.objects.get(file=file)
        assert "Add the thana figures." in note.body and note.frozen
        assert Notification.objects.filter(
            person=ef.people["clerk"], kind=Notification.Kind.DRAFT_RETURNED
        ).exists()

        # Not at the clerk's post: the clerk cannot rework it until the file comes back.
        with pytest.raises(ValidationError):
            draft_edit(actor=ef.actor("clerk"), draft=draft, **LETTER)
        file_send(actor=ef.actor("sdpo"), file=file, to_post=ef.posts["clerk"])
        draft = draft_edit(
            actor=ef.actor("clerk"), draft=draft, **{**LETTER, "body": LETTER["body"] + " 14 thanas."}
        )
        assert draft.status == Draft.Status.PENDING
        event = AuditEvent.objects.get(action="draft.edit")
        assert event.details["changed"] == ["body"] and event.details["before"]["body"] == LETTER["body"]


def test_bad_draft_input_is_refused_on_its_field_and_leaves_no_row(ef):
    with district_context("vaishali"):
        file = open_file(ef)
        for field, value in (("addressee", ""), ("subject", "x" * 501), ("body", "a\x00"), ("body", " ")):
            with pytest.raises(ValidationError) as refused:
                draft_create(actor=ef.actor("clerk"), file=file, **{**LETTER, field: value})
            assert field in refused.value.message_dict
        with pytest.raises(ValidationError):
            draft_create(actor=ef.actor("sp"), file=file, **LETTER)
        assert not Draft.objects.filter(file=file).exists()
        _file, draft = _drafted_and_sent_up(ef)
        with pytest.raises(ValidationError) as refused:
            draft_approve(actor=ef.actor("sdpo"), draft=draft, mode="pigeon")
        assert "mode" in refused.value.message_dict
        assert not Dispatch.objects.exists()
