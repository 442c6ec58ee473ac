"""The noting side: notes appended in order by the file's holders; a note edited only by its
author, and never once the file has moved on."""

import pytest
from django.core.exceptions import ValidationError

from core.efile.services.movement import file_receive, file_send
from core.efile.services.notes import note_add, note_edit
from core.models import AuditEvent, Note
from tenants.context import district_context
from tests.core.efile.filework import open_file


def test_holder_adds_notes_numbered_in_order_each_audited(ef):
    with district_context("vaishali"):
        file = open_file(ef)
        first = note_add(actor=ef.actor("clerk"), file=file, body="  Put up for approval.  ")
        second = note_add(actor=ef.actor("clerk"), file=file, body="कृपया अनुमोदन करें।")
        assert (first.seq, second.seq) == (1, 2)
        assert first.body == "Put up for approval."
        assert first.author_post == ef.posts["clerk"] and not first.frozen
        events = AuditEvent.objects.filter(action="note.add").order_by("id")
        assert [(e.target_id, e.post_id, e.details["file_id"]) for e in events] == [
            (str(first.pk), ef.posts["clerk"].pk, file.pk),
            (str(second.pk), ef.posts["clerk"].pk, file.pk),
        ]


@pytest.mark.parametrize("key", ["sdpo", "sp", "pio"])
def test_someone_not_holding_the_files_post_cannot_note_even_a_supervisor(ef, key):
    with district_context("vaishali"):
        file = open_file(ef)
        with pytest.raises(ValidationError) as refused:
            note_add(actor=ef.actor(key), file=file, body="Seen.")
        assert refused.value.code == "not_at_your_post"
        assert not Note.objects.filter(file=file).exists()


@pytest.mark.parametrize("body", ["", "   ", "a\x00b", "x" * 20001])
def test_empty_unstorable_or_overlong_notes_are_refused(ef, body):
    with district_context("vaishali"):
        file = open_file(ef)
        with pytest.raises(ValidationError) as refused:
            note_add(actor=ef.actor("clerk"), file=file, body=body)
        assert "body" in refused.value.message_dict
        assert not Note.objects.filter(file=file).exists()
        assert not AuditEvent.objects.filter(action="note.add", details__file_id=file.pk).exists()


def test_author_edits_own_note_until_the_file_moves_on_then_it_is_frozen(ef):
    with district_context("vaishali"):
        file = open_file(ef)
        note = note_add(actor=ef.actor("clerk"), file=file, body="Draft note")
        note = note_edit(actor=ef.actor("clerk"), note=note, body="Put up for orders.")
        assert note.body == "Put up for orders." and note.edited_at is not None
        event = AuditEvent.objects.filter(action="note.edit").get()
        assert event.details["before"] == "Draft note" and event.post_id == ef.posts["clerk"].pk

        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sdpo"])
        note.refresh_from_db()
        assert note.frozen
        with pytest.raises(ValidationError) as refused:
            note_edit(actor=ef.actor("clerk"), note=note, body="Changed after sending")
        assert refused.value.code == "frozen"
        note.refresh_from_db()
        assert note.body == "Put up for orders."

        # The SDPO notes next, and cannot touch the clerk's note either.
        file_receive(actor=ef.actor("sdpo"), file=file)
        reply = note_add(actor=ef.actor("sdpo"), file=file, body="Approved.")
        assert reply.seq == 2
        with pytest.raises(ValidationError) as refused:
            note_edit(actor=ef.actor("sdpo"), note=note, body="Rewritten")
        assert refused.value.code == "not_author"


def test_nobody_but_the_author_edits_a_note_and_an_unchanged_edit_records_nothing(ef):
    with district_context("vaishali"):
        file = open_file(ef)
        note = note_add(actor=ef.actor("clerk"), file=file, body="Mine")
        for key in ("sp", "pio", "other"):
            with pytest.raises(ValidationError):
                note_edit(actor=ef.actor(key), note=note, body="Theirs")
        note_edit(actor=ef.actor("clerk"), note=note, body="Mine")
        assert not AuditEvent.objects.filter(action="note.edit").exists()
        with pytest.raises(ValidationError):
            note_edit(actor=ef.actor("clerk"), note=note, body="\x00")
        note.refresh_from_db()
        assert note.body == "Mine"
