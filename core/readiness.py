"""An office's go-live checklist (computers, internet, power backup, training …) in its district.

An office is ready when every item of ``ReadinessItem.Item`` is confirmed done; an item with no
row is not done. Reads and writes run under the district's schema (a request on the district's
host, or ``tenants.context.district_context``). ``core.services.office_go_live`` refuses an
office that is not ready unless a written override reason is given.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import Actor, audit_append
from core.models import Office, ReadinessItem
from core.training import Coverage, office_training_coverage
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


# --- the checklist's items, their details and when each is done ---------------------------------

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


def _number(values: Mapping, field: str, errors: dict, *, low: int = 0, high: int | None = None) -> Decimal:
    raw = values.get(field)
    try:
        number = Decimal(str(raw)) if raw not in (None, "") else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        errors[field] = [_("Enter a number.")]
        return Decimal(0)
    if number < low or (high is not None and number > high):
        errors[field] = [
            _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
            if high is not None
            else _("Enter a number of at least %(low)s.") % {"low": low}
        ]
    return number


def _plain(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def readiness_details_check(*, item: str, values: Mapping) -> tuple[dict, bool]:
    """The details to keep for one checklist item and whether they make it done.

    computers: needed, installed (done when installed ≥ needed > 0); scanner: available, model
    (done when available); internet: type, tested_on, mbps (done when tested); power: kind, hours
    (done when hours > 0); migration: share 0–100 (done at 100). The training item is computed
    from attendance (``readiness_item_record``). Refuses bad values field by field.
    """
    errors: dict[str, list[str]] = {}
    if item == ReadinessItem.Item.COMPUTERS:
        needed = _number(values, "needed", errors)
        installed = _number(values, "installed", errors)
        for field, number in (("needed", needed), ("installed", installed)):
            if field not in errors and number != number.to_integral_value():
                errors[field] = [_("Enter a whole number.")]
        details, done = {"needed": int(needed), "installed": int(installed)}, installed >= needed > 0
    elif item == ReadinessItem.Item.SCANNER:
        available = bool(values.get("available"))
        details = {"available": available, "model": " ".join(str(values.get("model") or "").split())}
        done = available
    elif item == ReadinessItem.Item.INTERNET:
        kind = values.get("type") or ""
        if kind not in dict(INTERNET_TYPES):
            errors["type"] = [_("Choose the type of connection.")]
        tested_on = values.get("tested_on")
        if isinstance(tested_on, str) and tested_on:
            try:
                tested_on = datetime.date.fromisoformat(tested_on)
            except ValueError:
                errors["tested_on"] = [_("Enter a valid date.")]
        if isinstance(tested_on, datetime.date) and tested_on > timezone.localdate():
            errors["tested_on"] = [_("The test date cannot be in the future.")]
        mbps = values.get("mbps")
        speed = _number(values, "mbps", errors) if mbps not in (None, "") else None
        details = {
            "type": kind,
            "tested_on": tested_on.isoformat() if isinstance(tested_on, datetime.date) else None,
            "mbps": _plain(speed) if speed is not None else None,
        }
        done = details["tested_on"] is not None
    elif item == ReadinessItem.Item.POWER:
        kind = values.get("kind") or ""
        if kind not in dict(POWER_KINDS):
            errors["kind"] = [_("Choose the kind of power backup.")]
        hours = _number(values, "hours", errors, high=72)
        details, done = {"kind": kind, "hours": _plain(hours)}, hours > 0
    elif item == ReadinessItem.Item.MIGRATION:
        share = _number(values, "share", errors, high=100)
        if "share" not in errors and share != share.to_integral_value():
            errors["share"] = [_("Enter a whole number.")]
        details, done = {"share": int(share)}, share == 100
    else:
        raise ValidationError({"item": [_("“%(item)s” is not a readiness item.") % {"item": item}]})
    if errors:
        raise ValidationError(errors)
    return details, bool(done)


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


def training_details(coverage: Coverage) -> dict:
    return {"postings": coverage.postings, "trained": coverage.trained, "share": coverage.share}


@transaction.atomic
def readiness_item_record(
    *, actor: Actor, office: Office, item: str, values: Mapping | None = None, note: str = ""
) -> ReadinessItem:
    """A district admin records one checklist item of an office: its details, whether that makes
    it done (by the item's rule), who confirmed it and when. The staff-trained item takes no
    values: its share comes from training attendance, and it is done at 100 %.

    A planned office becomes "preparing" at its first confirmation. Closed offices are refused.
    Audited ``readiness.confirm``. The caller checks that the actor is a district admin.
    """
    office = Office.objects.select_for_update().get(pk=office.pk)
    if office.status == Office.Status.CLOSED:
        raise ValidationError(_("%(office)s is closed.") % {"office": office.name})
    if item == ReadinessItem.Item.TRAINING:
        coverage = office_training_coverage([office.pk])[office.pk]
        details, done = training_details(coverage), coverage.complete
    else:
        details, done = readiness_details_check(item=item, values=values or {})
    row = readiness_confirm(
        office=office, item=item, person=actor.person, done=done, details=details, note=note.strip()
    )
    if office.status == Office.Status.PLANNED:
        Office.objects.filter(pk=office.pk).update(status=Office.Status.PREPARING)
    audit_append(
        actor=actor,
        action="readiness.confirm",
        target=office,
        summary=_("%(office)s: %(item)s %(state)s")
        % {
            "office": office.name,
            "item": row.get_item_display(),
            "state": _("done") if done else _("not done"),
        },
        details={"item": item, "done": done, "details": details},
    )
    return row


# --- the checklist screens' reads ----------------------------------------------------------------


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
