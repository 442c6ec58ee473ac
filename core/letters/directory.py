"""The directory of offices a letter may be addressed to: live districts' open offices, in the
public schema. Each district publishes its own offices (``directory_publish``, under its schema,
from the periodic ``letters_directory_task``); senders read only the public rows."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from core.models import Office
from tenants.models import District, OfficeDirectoryEntry


@transaction.atomic
def directory_publish() -> int:
    """Publish the current district's offices (open ones addressable, closed ones marked so) to the
    public directory; offices gone from the district are dropped. Returns the number published."""
    district = District.objects.get(schema_name=connection.schema_name)
    rows = list(Office.objects.values("code", "name", "name_hi", "kind", "status"))
    now = timezone.now()
    OfficeDirectoryEntry.objects.bulk_create(
        [
            OfficeDirectoryEntry(
                district=district,
                office_code=row["code"],
                name=row["name"],
                name_hi=row["name_hi"],
                kind=row["kind"],
                open=row["status"] != Office.Status.CLOSED,
                published_at=now,
            )
            for row in rows
        ],
        update_conflicts=True,
        unique_fields=["district", "office_code"],
        update_fields=["name", "name_hi", "kind", "open", "published_at"],
    )
    OfficeDirectoryEntry.objects.filter(district=district).exclude(
        office_code__in=[row["code"] for row in rows]
    ).delete()
    return len(rows)


def directory_choices(*, exclude_schema: str) -> list[OfficeDirectoryEntry]:
    """Open offices of live districts other than ``exclude_schema``, from the public directory."""
    return list(
        OfficeDirectoryEntry.objects.filter(open=True, district__status=District.Status.LIVE)
        .exclude(district__schema_name=exclude_schema)
        .select_related("district")
        .order_by("district__name", "name")
    )
