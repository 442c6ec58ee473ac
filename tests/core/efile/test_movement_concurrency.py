"""Two hundred files sent at once in one district, from eight connections: every movement is on
the track, no file moves twice, and the district's audit chain is whole."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from core import services as core_services
from core.audit import Actor, audit_verify
from core.efile.services.files import file_create
from core.efile.services.movement import file_send
from core.models import AuditEvent, EFile, FileHead, Movement, Office, Post
from state_admin.models import AuditEvent as StaffAuditEvent
from state_admin.services.provisioning import DistrictSpec, district_provision
from tenants import schemas
from tenants.context import district_context
from tenants.models import DistrictMembership

SLUG = "movement-race"
THREADS, PER_THREAD = 8, 25


@pytest.fixture
def race(world, django_db_blocker):
    """A district committed for real (each thread has its own connection), removed afterwards."""
    with django_db_blocker.unblock():
        district = district_provision(
            spec=DistrictSpec(slug=SLUG, name="Movement Race", name_hi="दौड़", range_name="Tirhut")
        )
        # The session's clerk and SDPO, posted here too: no accounts to clean up afterwards.
        people = [world.vaishali_clerk, world.vaishali_officer]
        try:
            with district_context(district.schema_name):
                office = Office.objects.get(code="sp-office")
                posts = {}
                kinds = (("clerk", Post.Kind.CLERK), ("sdpo", Post.Kind.SDPO))
                for person, (key, kind) in zip(people, kinds, strict=True):
                    posts[key] = core_services.post_create(
                        office=office, code=f"race-{key}", title=key, kind=kind
                    )
                    core_services.posting_start(person=person, post=posts[key])
                clerk = Actor(person=people[0])
                head = FileHead.objects.get(code="GEN", office=None)
                files = [
                    file_create(
                        actor=clerk, post=posts["clerk"], head=head, subject=f"Race {n}", category="other"
                    )
                    for n in range(THREADS * PER_THREAD)
                ]
            yield district, clerk, posts, files
        finally:
            connection.set_schema_to_public()
            schemas.schema_drop(district.schema_name)
            DistrictMembership.objects.filter(district=district).delete()
            district.domains.all().delete()
            district.delete()
            StaffAuditEvent.objects.filter(district_slug=SLUG).delete()


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
