"""One way for periodic work to visit the districts: each district of the given statuses, under its
own schema (``district_context``), in a stable order; a district whose work fails is logged with
its schema and counted, and the others still run (issue 17, point 6).

    done = each_district(overdue_notify, failure="Overdue notifications failed")

``districts_visit`` is the same loop for work that is handed the district and picks its schema
itself (the state console's audit anchoring, which writes in the public schema).

Every nightly or periodic task that walks the districts goes through here, so a new task cannot
forget the schema switch or let one broken district stop the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

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
) -> DistrictResults:
    """``each_district``'s loop for work that is handed the ``District`` and picks its own schema
    (it runs under the caller's, the public one for a periodic task): each district whose status is
    in ``statuses`` (or, with ``schemas``, those of them only), ordered by ``order_by``. Results and
    ``failed`` are keyed by the district's ``key`` attribute (its schema name, or its slug). A
    failure is logged as "<failure> in district <key>" with its traceback, counted in ``failed``
    (and, when ``failed_as`` is given, also stored as that result), and the next district runs."""
    districts = District.objects.filter(status__in=list(statuses)).order_by(order_by)
    if schemas is not None:
        districts = districts.filter(schema_name__in=list(schemas))
    results = DistrictResults()
    for district in districts:
        name = getattr(district, key)
        try:
            results[name] = work(district)
        except Exception:
            logger.exception("%s in district %s", failure, name)
            results.failed.append(name)
            if failed_as is not None:
                results[name] = failed_as
    if results.failed:
        logger.warning("%s in %d district(s)", failure, len(results.failed))
    return results


def each_district(
    work: Callable[[], T],
    *,
    failure: str,
    statuses: Iterable[str] = LIVE,
    schemas: Iterable[str] | None = None,
) -> DistrictResults:
    """Run ``work()`` under each district whose status is in ``statuses`` (live by default; or, with
    ``schemas``, under those of them only), ordered by id. A failure is logged as "<failure> in
    district <schema>" with its traceback, counted in ``failed``, and the next district runs."""

    def under_its_schema(district: District) -> T:
        with district_context(district.schema_name):
            return work()

    return districts_visit(under_its_schema, failure=failure, statuses=statuses, schemas=schemas)


__all__ = ["LIVE", "WITH_SCHEMA", "DistrictResults", "districts_visit", "each_district"]
