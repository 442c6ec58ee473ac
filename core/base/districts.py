"""One way for periodic work to visit the districts: each district of the given statuses, under its
own schema (``district_context``), in a stable order; a district whose work fails is logged with
its schema and counted, and the others still run (issue 17, point 6).

    done = each_district(overdue_notify, failure="Overdue notifications failed")

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
    districts = District.objects.filter(status__in=list(statuses)).order_by("pk")
    if schemas is not None:
        districts = districts.filter(schema_name__in=list(schemas))
    results = DistrictResults()
    for schema_name in districts.values_list("schema_name", flat=True):
        try:
            with district_context(schema_name):
                results[schema_name] = work()
        except Exception:
            logger.exception("%s in district %s", failure, schema_name)
            results.failed.append(schema_name)
    if results.failed:
        logger.warning("%s in %d district(s)", failure, len(results.failed))
    return results


__all__ = ["LIVE", "WITH_SCHEMA", "DistrictResults", "each_district"]
