"""Outage reads: the list a person may see, one outage's report (what back-entry produced and what
is left), and the rows of its paper registers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from core.efile.numbering import DIARY
from core.models import BackEntry, Office, Outage, OutageNumber
from core.outage.access import outages_visible


def outage_list(person) -> QuerySet[Outage]:
    """The outages ``person`` may see, newest first, each with its numbers counted."""
    return (
        outages_visible(person)
        .select_related("office")
        .annotate(reserved=Count("numbers"), used=Count("numbers", filter=Q(numbers__used_at__isnull=False)))
    )


@dataclass(frozen=True)
class OutageReport:
    outage: Outage
    dak: int
    notes: int
    movements: int
    diary_left: int
    slips_left: int
    entries: list[BackEntry]
    unused_diary: list[OutageNumber]
    unused_slips: list[OutageNumber]


def outage_report(outage: Outage) -> OutageReport:
    """What ``outage`` produced (back-entered dak, notes, movements, in true-time order) and the
    reserved numbers still to be back-entered (or left unused on paper)."""
    entries = list(
        BackEntry.objects.filter(outage=outage)
        .select_related(
            "number",
            "entered_by",
            "receipt",
            "note__file",
            "movement__file",
            "movement__receipt",
            "movement__from_post",
            "movement__to_post",
        )
        .order_by("occurred_at", "id")
    )
    counts = {kind: sum(1 for e in entries if e.kind == kind) for kind in BackEntry.Kind.values}
    unused = list(
        outage.numbers.filter(used_at__isnull=True)
        .select_related("office")
        .order_by("kind", "office", "serial")
    )
    diary = [n for n in unused if n.kind == DIARY]
    slips = [n for n in unused if n.kind != DIARY]
    return OutageReport(
        outage=outage,
        dak=counts[BackEntry.Kind.DAK],
        notes=counts[BackEntry.Kind.NOTE],
        movements=counts[BackEntry.Kind.MOVEMENT],
        diary_left=len(diary),
        slips_left=len(slips),
        entries=entries,
        unused_diary=diary,
        unused_slips=slips,
    )


def register_offices(outage: Outage) -> list[tuple[Office, list[OutageNumber], list[OutageNumber]]]:
    """Per office covered: its reserved diary numbers and movement slips, in order."""
    rows: dict[int, tuple[Office, list, list]] = {}
    for number in outage.numbers.select_related("office").order_by(
        "office__name", "office", "kind", "serial"
    ):
        office, diary, slips = rows.setdefault(number.office_id, (number.office, [], []))
        (diary if number.kind == DIARY else slips).append(number)
    return list(rows.values())
