"""Writes of an office's go-live checklist (computers, internet, power backup, training …).

An office is ready when every item of ``ReadinessItem.Item`` is confirmed done; an item with no
row is not done. Run under the district's schema (a request on the district's host, or
``tenants.context.district_context``). ``core.org.services.go_live.office_go_live`` refuses an
office that is not ready unless a written override reason is given. The reads are in
``core.org.selectors.readiness``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.audit import Actor, audit_append
from core.models import Office, ReadinessItem
from core.org.selectors.readiness import INTERNET_TYPES, ITEMS, POWER_KINDS
from core.org.selectors.training import Coverage, office_training_coverage
from tenants.models import User


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
