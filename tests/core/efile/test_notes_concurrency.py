"""Notes written at once from several connections: numbered 1, 2, 3 … with no gap or repeat; an
edit or a note that waits on a file being sent is refused once it has gone, never a server error."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from core.base.audit import audit_verify
from core.efile.services.movement import file_send
from core.efile.services.notes import note_add, note_edit
from core.models import Note
from tenants.context import district_context
from tests.core.efile.conftest import committed_desk
from tests.core.efile.filework import gen_file

SLUG = "notes-race"
THREADS, PER_THREAD = 6, 5


@pytest.fixture
def desk(world, django_db_blocker):
    with django_db_blocker.unblock(), committed_desk(world, slug=SLUG, name="Notes Race") as made:
        district, clerk, posts = made
        with district_context(district.schema_name):
            file = gen_file(clerk, posts["clerk"], "Race", "other")
        yield district, clerk, posts, file


def _run(threads_targets) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(len(threads_targets))

    def wrap(target):
        def run():
            try:
                start.wait()
                target()
            except BaseException as error:  # noqa: BLE001 (reported to the test)
                errors.append(error)
            finally:
                connection.close()

        return run

    workers = [threading.Thread(target=wrap(target)) for target in threads_targets]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return errors


def test_concurrent_notes_are_numbered_without_gaps(desk, django_db_blocker):
    district, clerk, _posts, file = desk

    def writer(n: int):
        def write():
            with district_context(district.schema_name):
                for i in range(PER_THREAD):
                    note_add(actor=clerk, file=file, body=f"thread {n} note {i}")

        return write

    with django_db_blocker.unblock():
        assert _run([writer(n) for n in range(THREADS)]) == []
        with district_context(district.schema_name):
            seqs = list(Note.objects.filter(file=file).order_by("seq").values_list("seq", flat=True))
            result = audit_verify()
    assert seqs == list(range(1, THREADS * PER_THREAD + 1))
    assert result.ok, result


def test_an_edit_or_a_note_waiting_on_a_file_being_sent_is_refused_after_it_not_a_server_error(
    desk, django_db_blocker
):
    """The sender holds the file's lock while the clerk edits their note and adds another: both
    wait, then see the file gone and the note frozen (a lookup joined on the old post would find
    no file at all)."""
    district, clerk, posts, file = desk
    sent = threading.Event()
    outcome: dict[str, str] = {}

    with django_db_blocker.unblock():
        with district_context(district.schema_name):
            note = note_add(actor=clerk, file=file, body="Before sending")

        def send():
            with district_context(district.schema_name), transaction.atomic():
                file_send(actor=clerk, file=file, to_post=posts["sdpo"])
                sent.set()
                time.sleep(0.6)  # keep the lock while the others queue behind it

        def attempt(name, call):
            def run():
                sent.wait(5)
                with district_context(district.schema_name):
                    try:
                        call()
                        outcome[name] = "done"
                    except ValidationError as error:
                        outcome[name] = error.code

            return run

        errors = _run(
            [
                send,
                attempt("edit", lambda: note_edit(actor=clerk, note=note, body="After sending")),
                attempt("add", lambda: note_add(actor=clerk, file=file, body="Too late")),
            ]
        )
        assert errors == []
        with district_context(district.schema_name):
            note.refresh_from_db()
            count = Note.objects.filter(file=file).count()
    assert outcome == {"edit": "frozen", "add": "not_at_your_post"}
    assert note.frozen and note.body == "Before sending" and count == 1
