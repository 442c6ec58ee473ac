"""The one helper that runs a background task inside a named district's schema.

    @district_task()
    def receipt_index_task(receipt_id: int) -> None: ...

    receipt_index_task(request.tenant.schema_name, receipt_id=receipt.pk)   # enqueue

The first argument is always the district's schema name; a task without one, or naming the public
schema or a schema that is no district, fails loudly instead of running against the wrong data.
After the task (or its failure) the connection goes back to the public schema and is closed if
broken, so the next task on the same worker starts clean whatever district it is for.
"""

import functools
from collections.abc import Callable

from django.db import connection
from django_tenants.utils import get_public_schema_name
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tenants.context import district_context
from tenants.roles import owner_connection
from tenants.schemas import spares_fill
from tenants.sessions import expired_sessions_clear_all


class DistrictTaskError(ValueError):
    pass


def _check_schema_name(schema_name) -> None:
    if not isinstance(schema_name, str) or not schema_name or schema_name == get_public_schema_name():
        raise DistrictTaskError(f"A district task needs the district's schema name; got {schema_name!r}")


class DistrictTask:
    """A huey task bound to a district; calling it enqueues, ``call_local`` runs it here."""

    def __init__(self, wrapper):
        self.wrapper = wrapper
        functools.update_wrapper(self, wrapper.func)

    def __call__(self, schema_name: str, *args, **kwargs):
        _check_schema_name(schema_name)
        return self.wrapper(schema_name, *args, **kwargs)

    def call_local(self, schema_name: str, *args, **kwargs):
        _check_schema_name(schema_name)
        return self.wrapper.call_local(schema_name, *args, **kwargs)

    def s(self, schema_name: str, *args, **kwargs):
        _check_schema_name(schema_name)
        return self.wrapper.s(schema_name, *args, **kwargs)


def district_task(**task_options) -> Callable[[Callable], DistrictTask]:
    def decorator(fn: Callable) -> DistrictTask:
        @functools.wraps(fn)
        def run(schema_name: str, *args, **kwargs):
            _check_schema_name(schema_name)
            try:
                with district_context(schema_name):
                    return fn(*args, **kwargs)
            finally:
                # db_task closes broken or stale connections around the call as well.
                connection.set_schema_to_public()

        return DistrictTask(db_task(**task_options)(run))

    return decorator


@db_periodic_task(crontab(hour="4", minute="10"))
def expired_sessions_clear_task() -> dict[str, int]:
    """Every night at 04:10: expired sessions deleted on the state console and in every district
    (tenants.sessions.expired_sessions_clear_all)."""
    return expired_sessions_clear_all()


@db_periodic_task(crontab(minute="*"))
def spare_schemas_fill_task() -> int:
    """Every minute: keep a few spare copies of the district template ready, so that provisioning
    renames one instead of cloning (``tenants.schemas.spares_fill``)."""
    with owner_connection():
        return spares_fill()
