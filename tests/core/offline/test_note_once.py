"""A note typed offline is sent with its browser's key: sent twice, written once; another person's
key touches nothing of theirs; a bad key is refused with a clear message; another district or
someone without a posting gets 404 and nothing written."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from core.efile.services.movement import file_receive, file_send
from core.efile.services.notes_once import note_add_once
from core.models import AuditEvent, Note
from tenants.context import district_context
from tests.core.efile.conftest import ef  # noqa: F401 (fixture)
from tests.core.efile.filework import open_file
from tests.helpers import HostClient, sign_in_refused


def _notes(file):
    with district_context("vaishali"):
        return list(Note.objects.filter(file=file).order_by("seq"))


def test_the_same_key_twice_writes_one_note_and_one_audit_event(ef):  # noqa: F811
    key = str(uuid.uuid4())
    with district_context("vaishali"):
        file = open_file(ef)
        note, added = note_add_once(actor=ef.actor("clerk"), file=file, body="Put up.", client_key=key)
        again, added_again = note_add_once(actor=ef.actor("clerk"), file=file, body="Put up.", client_key=key)
        assert added and not added_again and again.pk == note.pk
        assert Note.objects.filter(file=file).count() == 1
        assert AuditEvent.objects.filter(action="note.add", details__file_id=file.pk).count() == 1
        # Another key is another note.
        other, added_other = note_add_once(
            actor=ef.actor("clerk"), file=file, body="More.", client_key=str(uuid.uuid4())
        )
        assert added_other and other.seq == 2


def test_another_persons_key_neither_finds_nor_changes_their_note(ef):  # noqa: F811
    key = str(uuid.uuid4())
    with district_context("vaishali"):
        file = open_file(ef)
        mine, _ = note_add_once(actor=ef.actor("clerk"), file=file, body="Clerk's note", client_key=key)
        # Someone who does not hold the file, with the clerk's key: refused, nothing written.
        with pytest.raises(ValidationError) as refused:
            note_add_once(actor=ef.actor("sp"), file=file, body="Hijack", client_key=key)
        assert refused.value.code == "not_at_your_post"
        file_send(actor=ef.actor("clerk"), file=file, to_post=ef.posts["sp"])
        file_receive(actor=ef.actor("sp"), file=file)
        theirs, added = note_add_once(actor=ef.actor("sp"), file=file, body="SP's note", client_key=key)
        assert added and theirs.pk != mine.pk and theirs.author == ef.people["sp"]
        mine.refresh_from_db()
        assert mine.body == "Clerk's note" and mine.author == ef.people["clerk"]


@pytest.mark.parametrize(
    "key",
    [
        "short",
        "x" * 65,
        "<script>alert(1)</script>",
        "../../etc/passwd",
        "a b c d e f g h i j",
        "ключ-ключ-ключ-ключ",
    ],
)
def test_a_bad_key_is_refused_with_a_message_and_writes_nothing(ef, key):  # noqa: F811
    with district_context("vaishali"):
        file = open_file(ef)
    client = ef.client("clerk")
    response = client.post(f"/files/{file.pk}/notes/", {"body": "Typed offline", "client_key": key})
    assert response.status_code == 200
    assert "sending key is not valid" in response.content.decode()
    assert "Typed offline" in response.content.decode()  # what was typed is shown again
    assert _notes(file) == []


def test_over_http_the_second_send_of_a_key_says_so_and_writes_nothing(ef):  # noqa: F811
    with district_context("vaishali"):
        file = open_file(ef)
    client = ef.client("clerk")
    key = str(uuid.uuid4())
    first = client.post(f"/files/{file.pk}/notes/", {"body": "Typed offline", "client_key": key})
    second = client.post(f"/files/{file.pk}/notes/", {"body": "Typed offline", "client_key": key})
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == f"/files/{file.pk}/#note-1"
    assert [note.body for note in _notes(file)] == ["Typed offline"]
    page = client.get(second.url).content.decode()
    assert "was added already" in page
    assert f'data-client-key="{key}"' in page  # offline.js sees it sent and forgets its copy
    # Another viewer of the file is not shown the author's key.
    assert key not in ef.client("sp").get(f"/files/{file.pk}/").content.decode()


def test_another_district_or_no_posting_gets_404_and_nothing_written(ef):  # noqa: F811
    with district_context("vaishali"):
        file = open_file(ef)
    key = str(uuid.uuid4())
    other = ef.client("other")  # Muzaffarpur, on its own host: no such file there
    assert other.post(f"/files/{file.pk}/notes/", {"body": "x", "client_key": key}).status_code == 404
    for login in ("ef.other", "no.posting"):
        client = HostClient("vaishali")
        assert sign_in_refused(client.sign_in(login))
        response = client.post(f"/files/{file.pk}/notes/", {"body": "x", "client_key": key})
        assert response.status_code in (302, 403, 404) and response.status_code != 200
    assert _notes(file) == []
