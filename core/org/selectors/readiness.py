"""Reads of an office's go-live checklist: what each office lacks, the checklist page, the overview.

An office is ready when every item of ``ReadinessItem.Item`` is confirmed done; an item with no
row is not done. Run under the district's schema. The writes are in ``core.org.services.readiness``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Office, ReadinessItem
from core.org.selectors.training import office_training_coverage

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
            "note": row.note if row else "",
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


INTERNET_TYPES = (
    ("broadband", gettext_lazy("Broadband")),
    ("fibre", gettext_lazy("Fibre")),
    ("4g", gettext_lazy("4G")),
    ("vsat", gettext_lazy("VSAT")),
    ("other", gettext_lazy("Other")),
)


POWER_KINDS = (
    ("ups", gettext_lazy("UPS")),
    ("inverter", gettext_lazy("Inverter")),
    ("solar", gettext_lazy("Solar")),
    ("generator", gettext_lazy("Generator")),
)


def readiness_item_summary(*, item: str, details: Mapping) -> str:
    """What is recorded for an item, in one line of the user's language ("" when nothing is, or
    when the details were written by something else, such as the demo seed)."""
    try:
        return _item_summary(item, details) if details else ""
    except (KeyError, TypeError, ValueError):
        return ""


def _item_summary(item: str, details: Mapping) -> str:
    if item == ReadinessItem.Item.COMPUTERS:
        return _("%(installed)s of %(needed)s installed") % details
    if item == ReadinessItem.Item.SCANNER:
        if not details.get("available"):
            return _("No scanner")
        return (
            _("Available: %(model)s") % {"model": details["model"]}
            if details.get("model")
            else _("Available")
        )
    if item == ReadinessItem.Item.INTERNET:
        parts = [str(dict(INTERNET_TYPES).get(details.get("type"), details.get("type") or ""))]
        if details.get("tested_on"):
            day = datetime.date.fromisoformat(details["tested_on"])
            parts.append(_("tested on %(day)s") % {"day": date_format(day, "DATE_FORMAT")})
        if details.get("mbps") is not None:
            parts.append(_("%(mbps)s Mbps") % details)
        return ", ".join(part for part in parts if part)
    if item == ReadinessItem.Item.POWER:
        kind = dict(POWER_KINDS).get(details.get("kind"), details.get("kind") or "")
        return _("%(kind)s, %(hours)s hours") % {"kind": kind, "hours": details.get("hours")}
    if item == ReadinessItem.Item.TRAINING:
        if details.get("share") is None:
            return _("No one posted")
        return _("%(share)s%% trained (%(trained)s of %(postings)s postings)") % details
    if item == ReadinessItem.Item.MIGRATION:
        return _("%(share)s%% migrated") % details
    return ""


def office_checklist(office: Office) -> list[dict]:
    """The office's six items in checklist order, each with its label, what is recorded (done,
    details, note, who confirmed it and when), and for staff training the share as it stands now."""
    readiness = office_readiness(office)
    coverage = office_training_coverage([office.pk])[office.pk]
    checklist = []
    for item in ITEMS:
        entry = {"item": item, "label": ReadinessItem.Item(item).label, **readiness[item]}
        entry["summary"] = readiness_item_summary(item=item, details=entry["details"])
        if item == ReadinessItem.Item.TRAINING:
            entry["coverage"] = coverage
        checklist.append(entry)
    return checklist


def readiness_overview() -> list[dict]:
    """Every office not yet live (closed ones left out):
    {office, done: {item: bool}, gaps, gap_labels, coverage}."""
    offices = list(
        Office.objects.exclude(status__in=[Office.Status.LIVE, Office.Status.CLOSED])
        .select_related("parent")
        .order_by("phase", "name")
    )
    gaps = offices_readiness_gaps(offices)
    coverage = office_training_coverage([office.pk for office in offices])
    return [
        {
            "office": office,
            "gaps": gaps[office.pk],
            "gap_labels": readiness_item_labels(gaps[office.pk]),
            "done": {item: item not in gaps[office.pk] for item in ITEMS},
            "coverage": coverage[office.pk],
        }
        for office in offices
    ]
