"""An office's go-live checklist (computers, internet, power backup, training …) in its district.

An office is ready when every item of ``ReadinessItem.Item`` is confirmed done; an item with no
row is not done. Reads and writes run under the district's schema (a request on the district's
host, or ``tenants.context.district_context``). ``core.services.office_go_live`` refuses an
office that is not ready unless staff give a written override reason.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Office, ReadinessItem
from tenants.models import User

ITEMS: tuple[str, ...] = tuple(ReadinessItem.Item.values)


def office_readiness(office: Office) -> dict[str, dict]:
    """Every checklist item of the office, in checklist order: {item: {done, confirmed_by,
    confirmed_at, details}}. Missing rows read as not done."""
    rows = {
        row.item: row for row in ReadinessItem.objects.filter(office=office).select_related("confirmed_by")
    }
    readiness = {}
    for item in ITEMS:
        row = rows.get(item)
        readiness[item] = {
            "done": bool(row and row.done),
            "confirmed_by": row.confirmed_by if row else None,
            "confirmed_at": row.confirmed_at if row else None,
            "details": dict(row.details) if row else {},
        }
    return readiness


def offices_readiness_gaps(offices) -> dict[int, list[str]]:
    """{office id: the checklist items it still lacks, in checklist order}, in one query."""
    ids = [office.pk for office in offices]
    done: dict[int, set[str]] = {pk: set() for pk in ids}
    for office_id, item in ReadinessItem.objects.filter(office_id__in=ids, done=True).values_list(
        "office_id", "item"
    ):
        done[office_id].add(item)
    return {pk: [item for item in ITEMS if item not in done[pk]] for pk in ids}


def office_readiness_gaps(office: Office) -> list[str]:
    """The checklist items the office still lacks, in checklist order (empty: ready)."""
    return offices_readiness_gaps([office])[office.pk]


def office_is_ready(office: Office) -> bool:
    return not office_readiness_gaps(office)


def readiness_item_labels(items: list[str]) -> list[str]:
    """The checklist items named in the user's language (for messages)."""
    return [str(ReadinessItem.Item(item).label) if item in ITEMS else item for item in items]


@transaction.atomic
def readiness_confirm(
    *,
    office: Office,
    item: str,
    person: User,
    done: bool = True,
    details: dict | None = None,
    note: str = "",
) -> ReadinessItem:
    """Record that ``person`` confirmed (or, with ``done=False``, withdrew) one checklist item now.

    Details already recorded are kept unless new ones are given. Callers check that the person may
    speak for the office (district admins, platform staff).
    """
    if item not in ITEMS:
        raise ValidationError({"item": [_("“%(item)s” is not a readiness item.") % {"item": item}]})
    row, _created = ReadinessItem.objects.select_for_update().get_or_create(office=office, item=item)
    row.done = done
    if details is not None:
        row.details = details
    row.note = note
    row.confirmed_by = person
    row.confirmed_at = timezone.now()
    row.save()
    return row
