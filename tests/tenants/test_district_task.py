"""District tasks through the real huey queue (Redis where REDIS_URL is set), run by this process."""

import pytest
from django.db import connection
from huey.contrib.djhuey import HUEY

from core.models import Office
from tenants.tasks import DistrictTaskError, district_task


@district_task()
def sp_office_name_task() -> str:
    return f"{connection.schema_name}:{Office.objects.get(code='sp-office').name}"


@district_task()
def failing_task() -> None:
    raise RuntimeError("boom")


def _work_off_queue() -> None:
    """What a consumer's worker does, one task after another on the same connection."""
    while (task := HUEY.dequeue()) is not None:
        HUEY.execute(task)


@pytest.fixture
def committed(world, django_db_blocker):
    """The session's committed districts, on an autocommit connection, as a worker sees them."""
    with django_db_blocker.unblock():
        HUEY.flush()
        yield
        HUEY.flush()
        connection.set_schema_to_public()


def test_task_reads_its_own_districts_rows_after_a_task_for_another(committed):
    first = sp_office_name_task("muzaffarpur")
    second = sp_office_name_task("vaishali")
    _work_off_queue()
    assert first.get() == "muzaffarpur:SP Office Muzaffarpur"
    assert second.get() == "vaishali:SP Office Vaishali"
    assert connection.schema_name == "public"


def test_a_failed_task_leaves_the_worker_on_the_public_schema(committed):
    failing_task("vaishali")
    after = sp_office_name_task("muzaffarpur")
    _work_off_queue()
    assert after.get() == "muzaffarpur:SP Office Muzaffarpur"
    assert connection.schema_name == "public"


@pytest.mark.parametrize("schema", [None, "", "public", 42])
def test_a_task_without_a_district_fails_loudly_at_enqueue(committed, schema):
    with pytest.raises(DistrictTaskError):
        sp_office_name_task(schema)
    assert HUEY.pending_count() == 0


def test_a_task_for_a_schema_that_is_no_district_fails_loudly_when_run(committed):
    with pytest.raises(LookupError):
        sp_office_name_task.call_local("_district_template")


def test_queue_messages_are_signed(committed):
    sp_office_name_task("vaishali")
    raw = HUEY.storage.dequeue()
    tampered = raw[:-1] + bytes([raw[-1] ^ 1])
    with pytest.raises(Exception):  # noqa: B017 (any refusal will do; the point is it is refused)
        HUEY.serializer.deserialize(tampered)
