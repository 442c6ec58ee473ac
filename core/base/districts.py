"""One way for periodic work to visit the districts: each district of the given statuses, under its
own schema (``district_context``), in a stable order; a district whose work fails is logged with
its schema and counted, and the others still run (issue 17, point 6).

    done = each_district(overdue_notify, failure="Overdue notifications failed")

``districts_visit`` is the same loop for work that is handed the district and picks its schema
itself (the state console's audit anchoring, which writes in the public schema). Both take
``concurrency``: work that mostly waits on round trips (the state rollup's dozen short reads a
district) runs in that many threads at once, each on a database connection of its own.

Every nightly or periodic task that walks the districts goes through here, so a new task cannot
forget the schema switch or let one broken district stop the rest.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db import connection, connections

from tenants.context import district_context
from tenants.models import STATUSES_WITH_SCHEMA, District

logger = logging.getLogger(__name__)

T = TypeVar("T")

LIVE = (District.Status.LIVE,)
WITH_SCHEMA = tuple(STATUSES_WITH_SCHEMA)


class DistrictResults(dict):
    """{schema name: what the work returned} of the districts where it succeeded; ``failed`` lists
    the schemas where it raised (logged)."""

    def __init__(self):
        super().__init__()
        self.failed: list[str] = []


def districts_visit(
    work: Callable[[District], T],
    *,
    failure: str,
    statuses: Iterable[str] = LIVE,
    schemas: Iterable[str] | None = None,
    order_by: str = "pk",
    key: str = "schema_name",
    failed_as: object = None,
    concurrency: int = 1,
) -> DistrictResults:
    """``each_district``'s loop for work that is handed the ``District`` and picks its own schema
    (it runs under the caller's, the public one for a periodic task): each district whose status is
    in ``statuses`` (or, with ``schemas``, those of them only), ordered by ``order_by``. Results and
    ``failed`` are keyed by the district's ``key`` attribute (its schema name, or its slug), in that
    order. A failure is logged as "<failure> in district <key>" with its traceback, counted in
    ``failed`` (and, when ``failed_as`` is given, also stored as that result), and the next district
    runs.

    With ``concurrency`` above 1, that many threads run the work at once, each taking every
    ``concurrency``-th district on a database connection of its own (from the process's pool, so
    no more than it holds: KARYALAY_DB_POOL_MAX, 4 by default); this thread hands its own back
    first and the threads close theirs at the end. Inside a caller's transaction (tests) the work
    stays on this thread, on the one connection that sees what the transaction has not committed.
    """
    queryset = District.objects.filter(status__in=list(statuses)).order_by(order_by)
    if schemas is not None:
        queryset = queryset.filter(schema_name__in=list(schemas))
    districts = list(queryset)
    outcomes = _run_all(work, districts, failure=failure, key=key, concurrency=concurrency)
    results = DistrictResults()
    for district, (done, value) in zip(districts, outcomes, strict=True):
        name = getattr(district, key)
        if done:
            results[name] = value
            continue
        results.failed.append(name)
        if failed_as is not None:
            results[name] = failed_as
    if results.failed:
        logger.warning("%s in %d district(s)", failure, len(results.failed))
    return results


def _run_one(
    work: Callable[[District], T], district: District, *, failure: str, key: str
) -> tuple[bool, T | None]:
    """(True, what ``work`` returned), or (False, None) when it raised (logged)."""
    try:
        return True, work(district)
    except Exception:
        logger.exception("%s in district %s", failure, getattr(district, key))
        return False, None


def _run_all(
    work: Callable[[District], T], districts: list[District], *, failure: str, key: str, concurrency: int
) -> list[tuple[bool, T | None]]:
    """The outcome of ``work`` for each of ``districts``, in their order: in this thread, or in
    ``concurrency`` threads on connections of their own (see ``districts_visit``)."""
    threads = min(concurrency, len(districts))
    if threads < 2 or connection.in_atomic_block:
        return [_run_one(work, district, failure=failure, key=key) for district in districts]
    connection.close()  # back to the pool: the threads may need every connection it holds
    outcomes: list[tuple[bool, T | None]] = [(False, None)] * len(districts)

    def visitor(start: int) -> None:
        try:
            for i in range(start, len(districts), threads):
                outcomes[i] = _run_one(work, districts[i], failure=failure, key=key)
        finally:
            connections.close_all()

    running = [threading.Thread(target=visitor, args=(k,), name=f"districts-{k}") for k in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    return outcomes


def each_district(
    work: Callable[[], T],
    *,
    failure: str,
    statuses: Iterable[str] = LIVE,
    schemas: Iterable[str] | None = None,
    concurrency: int = 1,
) -> DistrictResults:
    """Run ``work()`` under each district whose status is in ``statuses`` (live by default; or, with
    ``schemas``, under those of them only), ordered by id. A failure is logged as "<failure> in
    district <schema>" with its traceback, counted in ``failed``, and the next district runs.
    ``concurrency``: that many threads at once, as ``districts_visit`` runs them."""

    def under_its_schema(district: District) -> T:
        with district_context(district.schema_name):
            return work()

    return districts_visit(
        under_its_schema, failure=failure, statuses=statuses, schemas=schemas, concurrency=concurrency
    )


__all__ = ["LIVE", "WITH_SCHEMA", "DistrictResults", "districts_visit", "each_district"]
