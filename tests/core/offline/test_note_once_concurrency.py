"""The same note sent at the same moment from several connections with one key (a double click on
"Send this note", a resend racing a slow answer): one note, one audit event, every sender told the
same note."""

import threading
import uuid

import pytest
from django.db import connection

from core.efile.services.notes_once import note_add_once
from core.models import AuditEvent, Note
from tenants.context import district_context
from tests.core.efile.conftest import committed_desk
from tests.core.efile.filework import gen_file

SLUG = "notes-once-race"
SENDERS = 6


@pytest.fixture
def desk(world, django_db_blocker):
    with django_db_blocker.unblock(), committed_desk(world, slug=SLUG, name="Notes Once Race") as made:
        district, clerk, posts = made
        with district_context(district.schema_name):
            file = gen_file(clerk, posts["clerk"], "Race", "other")
        yield district, clerk, file


def test_one_key_sent_at_once_from_many_connections_writes_one_note(desk, django_db_blocker):
    district, clerk, file = desk
    key = str(uuid.uuid4())
    start = threading.Barrier(SENDERS)
    results, errors = [], []

    def send():
        try:
            start.wait()
            with district_context(district.schema_name):
                note, added = note_add_once(actor=clerk, file=file, body="Typed offline", client_key=key)
                results.append((note.pk, added))
        except BaseException as error:  # noqa: BLE001 (reported to the test)
            errors.append(error)
        finally:
            connection.close()

    with django_db_blocker.unblock():
        workers = [threading.Thread(target=send) for _ in range(SENDERS)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        with district_context(district.schema_name):
            notes = list(Note.objects.filter(file=file))
            events = AuditEvent.objects.filter(action="note.add", details__file_id=file.pk).count()
    assert errors == []
    assert len(notes) == 1 and events == 1
    assert {pk for pk, _ in results} == {notes[0].pk}
    assert sorted(added for _, added in results) == [False] * (SENDERS - 1) + [True]
