"""What a range office or headquarters may see of the districts under it.

A range office sees the districts of its police range; headquarters sees every district; a
district sees none. Everything here reads the public schema (the district rows and their copied
figures) and, for the drill-down, this office's own letters: never a district's schema.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from core.base.access import Viewer
from core.letters.selectors import incoming_list
from core.models import IncomingLetter
from tenants.models import District, SupervisionFigures


@dataclass
class Supervised:
    district: District
    figures: dict
    refreshed_at: object = None


def supervises(tenant) -> bool:
    return not getattr(tenant, "is_police_district", True)


def supervised_districts(tenant) -> QuerySet[District]:
    """The districts under ``tenant``: of its range (a range office), all (headquarters), none
    (a district). Live and suspended ones: a suspended district's last figures still stand."""
    districts = District.objects.police_districts().filter(
        status__in=(District.Status.LIVE, District.Status.SUSPENDED)
    )
    if tenant.kind == District.Kind.HEADQUARTERS:
        return districts
    if tenant.kind == District.Kind.RANGE and tenant.police_range_id:
        return districts.filter(police_range_id=tenant.police_range_id)
    return districts.none()


def supervision_board(tenant) -> list[Supervised]:
    districts = list(supervised_districts(tenant).select_related("police_range"))
    rows = {
        row.district_id: row
        for row in SupervisionFigures.objects.filter(district__in=[d.pk for d in districts])
    }
    return [
        Supervised(
            district=d,
            figures=rows[d.pk].figures if d.pk in rows else {},
            refreshed_at=rows[d.pk].refreshed_at if d.pk in rows else None,
        )
        for d in districts
    ]


def supervised_for(tenant, slug: str) -> Supervised | None:
    """One district under ``tenant`` by its slug; None for any district outside (a 404)."""
    district = supervised_districts(tenant).filter(slug=slug).first()
    if district is None:
        return None
    row = SupervisionFigures.objects.filter(district=district).first()
    return Supervised(
        district=district,
        figures=row.figures if row else {},
        refreshed_at=row.refreshed_at if row else None,
    )


def letters_from(viewer: Viewer, district: District) -> QuerySet[IncomingLetter]:
    """The drill-down: letters (with their papers) the district's offices sent up to the viewer's
    offices here. A supervisor reads what a district sends him, never the district itself."""
    return incoming_list(viewer).filter(from_district_schema=district.schema_name)
