"""Copying each district's supervision figures into the public schema (issue 22.2).

The one place that visits district schemas for supervision, from a periodic task; a range's or
headquarters' pages read only ``SupervisionFigures``.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, transaction
from django.utils import timezone

from core.supervision.figures import supervision_figures
from tenants.context import district_context
from tenants.models import District, SupervisionFigures

logger = logging.getLogger(__name__)


@transaction.atomic
def supervision_refresh_one(district: District) -> SupervisionFigures:
    """Read one district's figures under its schema and upsert its public row, in one
    transaction. Raises ``DatabaseError`` when the schema is missing or broken (nothing written)."""
    with district_context(district.schema_name):
        figures = supervision_figures(today=timezone.localdate())
    row, _created = SupervisionFigures.objects.update_or_create(
        district=district, defaults={"figures": figures, "refreshed_at": timezone.now()}
    )
    return row


def supervision_refresh() -> int:
    """Refresh the figures of every live district (not ranges or headquarters), one transaction
    each; a district that fails is logged and skipped. Returns how many were refreshed."""
    refreshed = 0
    districts = District.objects.police_districts().filter(status=District.Status.LIVE)
    for district in districts.order_by("pk"):
        try:
            supervision_refresh_one(district)
        except DatabaseError:
            logger.exception("Supervision figures skipped district %s", district.slug)
            continue
        refreshed += 1
    return refreshed
