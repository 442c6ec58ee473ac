"""Notes written at once from several connections: numbered 1, 2, 3 … with no gap or repeat; an
edit or a note that waits on a file being sent is refused once it has gone, never a server error."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from core import services as core_services
from core.audit import Actor, audit_verify
from core.efile.services.files import file_create
from core.efile.services.movement import file_send
from core.efile.services.notes import note_add, note_edit
from core.models import FileHead, Note, Office, Post
from state_admin.models import AuditEvent as StaffAuditEvent
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants import schemas
from tenants.context import district_context
from tenants.models import DistrictMembership

SLUG = "notes-race"
THREADS, PER_THREAD = 6, 5


@pytest.fixture
def desk(world, django_db_blocker):
    """A district committed for real (each thread has its own connection), removed afterwards."""
    with django_db_blocker.unblock():
        district = district_provision(
            spec=DistrictSpec(slug=SLUG, name="Notes Race", name_hi="टिप्पणी", range_name="Tirhut")
        )
        try:
            with district_context(district.schema_name):
                office = Office.objects.get(code="sp-office")
                posts = {}
                for person, key, kind in (
                    (world.vaishali_clerk, "clerk", Post.Kind.CLERK),
                    (world.vaishali_officer, "sdpo", Post.Kind.SDPO),
                ):
                    posts[key] = core_services.post_create(
                        office=office, code=f"nr-{key}", title=key, kind=kind
                    )
                    core_services.posting_start(person=person, post=posts[key])
                clerk = Actor(person=world.vaishali_clerk)
                file = file_create(
                    actor=clerk,
                    post=posts["clerk"],
                    head=FileHead.objects.get(code="GEN", office=None),
                    subject="Race",
                    category="other",
                )
            yield district, clerk, posts, file
        finally:
            connection.set_schema_to_public()
            schemas.schema_drop(district.schema_name)
            DistrictMembership.objects.filter(district=district).delete()
            district.domains.all().delete()
            district.delete()
            StaffAuditEvent.objects.filter(district_slug=SLUG).delete()


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
