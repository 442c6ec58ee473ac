"""Two hundred files sent at once in one district, from eight connections: every movement is on
the track, no file moves twice, and the district's audit chain is whole."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from core.base.audit import audit_verify
from core.efile.services.files import file_create
from core.efile.services.movement import file_send
from core.models import AuditEvent, EFile, FileHead, Movement
from tenants.context import district_context
from tests.core.efile.conftest import committed_desk

SLUG = "movement-race"
THREADS, PER_THREAD = 8, 25


@pytest.fixture
def race(world, django_db_blocker):
    with django_db_blocker.unblock(), committed_desk(world, slug=SLUG, name="Movement Race") as desk:
        district, clerk, posts = desk
        with district_context(district.schema_name):
            head = FileHead.objects.get(code="GEN", office=None)
            files = [
                file_create(
                    actor=clerk, post=posts["clerk"], head=head, subject=f"Race {n}", category="other"
                )
                for n in range(THREADS * PER_THREAD)
            ]
        yield district, clerk, posts, files


def test_200_concurrent_movements_leave_a_valid_chain(race, django_db_blocker):
    district, clerk, posts, files = race
    errors: list[BaseException] = []
    refused: list[int] = []
    start = threading.Barrier(THREADS)

    def mover(n: int) -> None:
        # Each thread sends its own 25 files, and also tries to send its neighbour's first file:
        # that one may move only once, whoever gets there first.
        mine = files[n * PER_THREAD : (n + 1) * PER_THREAD]
        contested = files[((n + 1) % THREADS) * PER_THREAD]
        try:
            with district_context(district.schema_name):
                start.wait()
                for file in mine:
                    try:
                        file_send(actor=clerk, file=file, to_post=posts["sdpo"], remarks=f"thread {n}")
                    except ValidationError:
                        refused.append(file.pk)
                try:
                    file_send(actor=clerk, file=contested, to_post=posts["sdpo"])
                except ValidationError:
                    refused.append(contested.pk)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    with django_db_blocker.unblock():
        workers = [threading.Thread(target=mover, args=(n,)) for n in range(THREADS)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        assert errors == []
        with district_context(district.schema_name):
            result = audit_verify()
            sends = AuditEvent.objects.filter(action="file.send").count()
            moved = Movement.objects.filter(action=Movement.Action.SENT).count()
            at_sdpo = EFile.objects.filter(current_post=posts["sdpo"]).count()
            per_file = set(
                Movement.objects.filter(action=Movement.Action.SENT)
                .values_list("file_id", flat=True)
                .distinct()
            )
    assert result.ok, result
    # 200 movements, each file exactly once: a contested send either won (and the owner's own
    # attempt was refused) or was refused; never both.
    assert moved == sends == len(files) == at_sdpo
    assert per_file == {file.pk for file in files}
    assert len(refused) == THREADS
