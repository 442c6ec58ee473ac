"""Moving Vaishali to the other worker and back while it takes file movements (issue 21, point 4):
every acknowledged write is there afterwards, the audit trail's chain is whole, the district was
never served another district's data, and it ends on the worker it started on.

A shard move copies committed rows only, so the stream's writes must commit in Vaishali, the
session's shared district that every later test reads as the session fixture made it. The stream
therefore runs in an office, two posts and one file made for this test (held by the session's clerk
and SDPO, so no account is made), and afterwards those rows are deleted again. What cannot be
deleted is the audit trail (append-only: its trigger refuses UPDATE and DELETE): the stream's
events stay, sealed into the chain, which ``audit_verify`` walks whole. The test then compares
every other table of Vaishali's schema, row by row, with what it held before the test.
"""

import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import ProtectedError, RestrictedError
from psycopg import sql

from core.base.audit import Actor, audit_seal, audit_verify
from core.efile.services.files import file_create
from core.efile.services.movement import file_send
from core.models import AuditEvent, EFile, FileHead, Movement, Office, Post, Posting
from core.models.search import SearchEntry, SearchWord
from core.org import services as org
from tenants import citus
from tenants.context import district_context

# Words no other test writes: the stream's file and office leave nothing any search could find.
CODE = "move-stream"
SUBJECT = "Zanzibar ledger of the moving district"
AFTER_EACH_MOVE = 15
# The audit trail is append-only; every other table must read as it did before the test.
KEPT = {"core_auditevent"}


def _fingerprint(schema: str) -> dict[str, tuple[int, str]]:
    """Every table of ``schema``: its row count and an MD5 over its rows in a fixed order."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename::text FROM pg_tables WHERE schemaname = %s ORDER BY 1", [schema])
        tables = [row[0] for row in cursor.fetchall()]
        found = {}
        for table in tables:
            cursor.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                    " FROM {}.{} AS t"
                ).format(sql.Identifier(schema), sql.Identifier(table))
            )
            found[table] = tuple(cursor.fetchone())
    return found


def _own_files() -> set[tuple[int, str]]:
    return set(EFile.objects.values_list("pk", "number"))


def _purge(queryset, depth: int = 0) -> None:
    """Delete ``queryset``'s rows, first every row that refers to them through a protected foreign
    key (the stream's movements, passages, notifications, number sequence …), and so on down."""
    while True:
        try:
            with transaction.atomic():
                queryset.delete()
            return
        except (ProtectedError, RestrictedError) as error:
            assert depth < 5, error
            found: dict[type, list[int]] = {}
            objects = getattr(error, "protected_objects", None) or error.restricted_objects
            for row in objects:
                found.setdefault(type(row), []).append(row.pk)
            for model, pks in found.items():
                _purge(model.objects.filter(pk__in=pks), depth + 1)


def _remove(schema: str, words: set[str]) -> None:
    """Deletes what the stream made in Vaishali (its audit events excepted): idempotent."""
    connection.set_schema_to_public()
    with district_context(schema), transaction.atomic():
        files = EFile.objects.filter(subject=SUBJECT)
        ids = list(files.values_list("pk", flat=True))
        SearchEntry.objects.filter(kind=SearchEntry.Kind.FILE, object_id__in=ids).delete()
        _purge(files)
        _purge(Posting.objects.filter(post__office__code=CODE))
        _purge(Post.objects.filter(office__code=CODE))
        _purge(Office.objects.filter(code=CODE))
        SearchWord.objects.exclude(word__in=words).delete()
    connection.set_schema_to_public()


@pytest.fixture
def vaishali_stream(world, django_db_blocker):
    """One committed file in Vaishali, in an office of its own, that two posts send to each other.
    Yields (file, ((actor, post), (actor, post)), a function that removes it all again and
    returns Vaishali's tables as they were before, the number of audit events before)."""
    schema = world.vaishali.schema_name
    clerk, sdpo = Actor(person=world.vaishali_clerk), Actor(person=world.vaishali_officer)
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        before = _fingerprint(schema)
        with district_context(schema):
            words = set(SearchWord.objects.values_list("word", flat=True))
            events = AuditEvent.objects.count()

        def remove() -> dict[str, tuple[int, str]]:
            _remove(schema, words)
            return before

        try:
            with district_context(schema), transaction.atomic():
                office = org.office_create(
                    code=CODE,
                    name="Move stream",
                    kind=Office.Kind.OTHER,
                    status=Office.Status.LIVE,
                    abbr="MVST",
                )
                posts = (
                    org.post_create(office=office, code=f"{CODE}-a", title="Stream A", kind=Post.Kind.CLERK),
                    org.post_create(office=office, code=f"{CODE}-b", title="Stream B", kind=Post.Kind.SDPO),
                )
                org.posting_start(person=clerk.person, post=posts[0])
                org.posting_start(person=sdpo.person, post=posts[1])
                head = FileHead.objects.get(code="GEN", office=None)
                file = file_create(actor=clerk, post=posts[0], head=head, subject=SUBJECT, category="other")
            yield file, ((clerk, posts[0]), (sdpo, posts[1])), remove, events
        finally:
            _remove(schema, words)


def test_vaishali_moves_to_the_other_worker_and_back_while_a_file_moves(
    vaishali_stream, world, django_db_blocker
):
    file, ends, remove, events_before = vaishali_stream
    schema = world.vaishali.schema_name
    acknowledged: list[int] = []  # the Movement rows of the sends that returned
    errors: list[BaseException] = []
    foreign: list[str] = []
    stop = threading.Event()

    with django_db_blocker.unblock(), district_context(schema):
        own = _own_files()

    def stream() -> None:
        try:
            with district_context(schema):
                turn = 0
                while not stop.is_set():
                    (actor, _), (_, to_post) = ends[turn % 2], ends[(turn + 1) % 2]
                    file_send(actor=actor, file=file, to_post=to_post, remarks=f"during the move {turn}")
                    acknowledged.append(
                        Movement.objects.filter(file_id=file.pk)
                        .order_by("-pk")
                        .values_list("pk", flat=True)[0]
                    )
                    turn += 1
                    # What the district serves is its own: Vaishali's files, as before the stream.
                    seen = _own_files()
                    if seen != own:
                        foreign.append(repr(seen ^ own))
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    def wait_for(count: int) -> None:
        deadline = time.monotonic() + 120
        while len(acknowledged) < count and writer.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(acknowledged) >= count, (len(acknowledged), errors)

    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        source = citus.placements(connection)[schema]
        target = next(node for node in citus.nodes(connection) if node != source)
        writer = threading.Thread(target=stream)
        writer.start()
        try:
            wait_for(10)
            during = []
            for to in (target, source):
                start = len(acknowledged)
                call_command("district_move", "vaishali", "--to", to, "--by", world.staff.login_id)
                connection.set_schema_to_public()
                during.append(len(acknowledged) - start)
                assert citus.placements(connection)[schema] == to
                wait_for(len(acknowledged) + AFTER_EACH_MOVE)
        finally:
            stop.set()
            writer.join(timeout=300)
        assert not writer.is_alive()
        assert errors == []
        assert foreign == []
        assert all(count >= 1 for count in during), f"writes acknowledged while each move ran: {during}"
        # Back where it started, for the tests that run after this one.
        assert citus.placements(connection)[schema] == source

        with district_context(schema):
            sends = list(
                Movement.objects.filter(file_id=file.pk, action=Movement.Action.SENT)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            assert sends == acknowledged, "every acknowledged send is there, and nothing else"
            last_to = ends[len(acknowledged) % 2][1]
            assert EFile.objects.get(pk=file.pk).current_post_id == last_to.pk
            assert AuditEvent.objects.filter(action="file.send", target_id=str(file.pk)).count() == len(
                acknowledged
            )
            audit_seal()
            result = audit_verify()
            assert result.ok, result
            assert result.unsealed == 0
            assert result.count == AuditEvent.objects.count() > events_before
        # Muzaffarpur never sees Vaishali's file.
        with district_context(world.muzaffarpur.schema_name):
            assert not EFile.objects.filter(subject=SUBJECT).exists()

        # The stream's rows leave again: every table of Vaishali but the audit trail reads as the
        # session made it, for the tests that run after this one.
        before = remove()
        after = _fingerprint(schema)
        with district_context(schema):
            assert audit_verify().ok
        connection.set_schema_to_public()
    assert set(after) == set(before)
    assert sorted(t for t in after if t not in KEPT and after[t] != before[t]) == []
