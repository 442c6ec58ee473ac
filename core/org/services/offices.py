"""Offices as a tree: create, edit, move under another parent, close (kept for history).

The tree is district → SDPO office → circle office → thana, with district-level offices (police
line, DSP HQ and others) under the SP office. Writes that change the shape of the tree take one
per-district lock, so two moves at once can never make a cycle between them.
"""

from __future__ import annotations

import datetime
import hashlib
import re

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.base.audit import Actor, audit_append
from core.base.records import office_open_records
from core.models import Dispatch, EFile, Office, Posting, Receipt

K = Office.Kind
# Which kinds of office each kind may sit under; None: any open office. TOP: may sit at the top.
PARENT_KINDS: dict[str, frozenset[str] | None] = {
    K.SP_OFFICE: frozenset(),
    K.SDPO: frozenset({K.SP_OFFICE}),
    K.CIRCLE: frozenset({K.SDPO}),
    K.THANA: frozenset({K.CIRCLE, K.SDPO}),
    K.POLICE_LINE: frozenset({K.SP_OFFICE}),
    K.DSP_HQ: frozenset({K.SP_OFFICE}),
    K.OTHER: None,
}
TOP: frozenset[str] = frozenset({K.SP_OFFICE, K.SDPO, K.POLICE_LINE, K.DSP_HQ, K.OTHER})
EDITABLE_STATUSES = (Office.Status.PLANNED, Office.Status.PREPARING)


def _tree_lock() -> None:
    key = int.from_bytes(
        hashlib.sha256(f"office-tree:{connection.schema_name}".encode()).digest()[:8], "big", signed=True
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _kind_label(kind: str) -> str:
    return str(K(kind).label) if kind in K.values else kind


def office_parent_check(*, kind: str, parent: Office | None, office: Office | None = None) -> None:
    """Refuse, on the ``parent`` field, a parent of the wrong kind, a closed parent, or (for an
    existing ``office``) a parent that is the office itself or one of its sub-offices."""
    allowed = PARENT_KINDS.get(kind)
    if parent is None:
        if kind not in TOP:
            raise ValidationError(
                {
                    "parent": _("A %(kind)s must sit under one of: %(parents)s.")
                    % {
                        "kind": _kind_label(kind),
                        "parents": ", ".join(_kind_label(k) for k in sorted(allowed)),
                    }
                }
            )
        return
    if (
        office is not None
        and office.pk is not None
        and (parent.pk == office.pk or office.pk in office_ancestor_ids(parent))
    ):
        raise ValidationError(
            {
                "parent": _("%(office)s cannot sit under itself or under one of its own sub-offices.")
                % {"office": office.name}
            }
        )
    if allowed is not None and parent.kind not in allowed:
        if allowed:
            where = ", ".join(_kind_label(k) for k in sorted(allowed))
            if kind in TOP:
                where = _("%(parents)s, or at the top of the district") % {"parents": where}
        else:
            where = _("nothing: it is at the top of the district")
        raise ValidationError(
            {
                "parent": _("A %(kind)s cannot sit under a %(parent_kind)s; it sits under %(where)s.")
                % {"kind": _kind_label(kind), "parent_kind": _kind_label(parent.kind), "where": where}
            }
        )
    if parent.status == Office.Status.CLOSED:
        raise ValidationError({"parent": _("%(office)s is closed.") % {"office": parent.name}})


def office_ancestor_ids(office: Office) -> list[int]:
    """The ids of the office's parent, grandparent … up to the top (stops at a cycle)."""
    parents = dict(Office.objects.values_list("id", "parent_id"))
    ids, current = [], parents.get(office.pk)
    while current is not None and current not in ids:
        ids.append(current)
        current = parents.get(current)
    return ids


def _clean_fields(*, name: str, phase: int, address: str) -> dict:
    errors = {}
    name = " ".join((name or "").split())
    if not name:
        errors["name"] = _("Give the office's name in English.")
    if not isinstance(phase, int) or phase < 1:
        errors["phase"] = _("The rollout phase is a whole number from 1.")
    if errors:
        raise ValidationError(errors)
    return {"name": name, "address": (address or "").strip()}


ABBR_RE = re.compile(r"^[A-Z][A-Z0-9]{1,11}$")


def _prefix_used_elsewhere(prefix: str, *, office: Office | None) -> str | None:
    """Why ``prefix`` may not begin this office's numbers, or None: another office has it as its
    short code (or, with none, as its code in capitals), or another office's stored diary, file or
    dispatch numbers begin with it (a short code it had before: the numbers stay, and numbering
    again from 1 under the same code would repeat them)."""
    others = Office.objects.exclude(pk=office.pk) if office is not None else Office.objects.all()
    if others.filter(Q(abbr__iexact=prefix) | Q(abbr="", code__iexact=prefix)).exists():
        return _("Another office uses the short code %(abbr)s.") % {"abbr": prefix}
    start = f"{prefix}/"
    for rows in (
        Receipt.objects.filter(diary_number__startswith=start),
        EFile.objects.filter(number__startswith=start),
        Dispatch.objects.filter(number__startswith=start),
    ):
        if rows.exclude(office__in=[office] if office is not None else []).exists():
            return _(
                "The short code %(abbr)s was used by another office before; its diary, file or "
                "dispatch numbers begin with it. Choose another."
            ) % {"abbr": prefix}
    return None


def _require_code_free(code: str, *, office: Office | None) -> None:
    """Without a short code an office's numbers begin with its code in capitals: that must be free."""
    if _prefix_used_elsewhere(code.upper(), office=office):
        raise ValidationError(
            {
                "abbr": _(
                    "Without a short code this office's numbers would begin with %(prefix)s, which "
                    "another office uses or used; give it a short code."
                )
                % {"prefix": code.upper()}
            }
        )


def office_abbr_clean(abbr: str, *, office: Office | None = None) -> str:
    """A short code for diary and file numbers: 2–12 capital letters and digits, not another
    office's now nor before (numbers must never collide). Blank keeps the office's code in
    capitals, checked the same way when an office gives up its short code."""
    abbr = (abbr or "").strip().upper()
    if not abbr:
        if office is not None and office.abbr:
            _require_code_free(office.code, office=office)
        return ""
    if not ABBR_RE.match(abbr):
        raise ValidationError(
            {"abbr": _("The short code is 2 to 12 Latin capital letters and digits, e.g. SPVAI.")}
        )
    reason = _prefix_used_elsewhere(abbr, office=office)
    if reason:
        raise ValidationError({"abbr": reason})
    return abbr


@transaction.atomic
def office_create(
    *,
    code: str,
    name: str,
    name_hi: str = "",
    kind: str,
    parent: Office | None = None,
    phase: int = 1,
    status: str = Office.Status.PLANNED,
    address: str = "",
    go_live_target: datetime.date | None = None,
    abbr: str = "",
    actor: Actor | None = None,
) -> Office:
    """Create an office.

    With an ``actor`` (a district admin adding an office by hand) the code must be new, the parent
    of the right kind and open, and the office starts planned or preparing. Without one (seeding:
    provisioning, office templates, the demo) the office with this code is returned unchanged if
    it exists, so seeding can be re-run. Either way a new office's short code is checked (see
    ``office_abbr_clean``). A new office is always in the district's audit trail.
    """
    if actor is None:
        existing = Office.objects.filter(code=code).first()
        if existing is not None:
            return existing
    else:
        _tree_lock()
        if not code or slugify(code) != code:
            raise ValidationError({"code": _("The code must be lower-case letters, digits and hyphens.")})
        if Office.objects.filter(code=code).exists():
            raise ValidationError({"code": _("An office with the code “%(code)s” exists.") % {"code": code}})
        if kind not in K.values:
            raise ValidationError({"kind": _("Choose the type of office.")})
        if status not in EDITABLE_STATUSES:
            raise ValidationError({"status": _("A new office is planned or preparing; it goes live later.")})
        fields = _clean_fields(name=name, phase=phase, address=address)
        name, address = fields["name"], fields["address"]
        if parent is not None:
            parent = Office.objects.select_for_update().get(pk=parent.pk)
        office_parent_check(kind=kind, parent=parent)
    # Seeding too: a short code (or, with none, the code in capitals) that another office's
    # numbers begin with would make numbers collide, whoever creates the office.
    abbr = office_abbr_clean(abbr)
    if not abbr:
        _require_code_free(code, office=None)
    office = Office.objects.create(
        code=code,
        abbr=abbr,
        name=name,
        name_hi=" ".join((name_hi or "").split()),
        kind=kind,
        parent=parent,
        phase=phase,
        status=status,
        address=address,
        go_live_target=go_live_target,
    )
    audit_append(
        actor=actor,
        action="office.create",
        target=office,
        summary=office.name,
        details={"code": code, "kind": kind, "parent": parent.code if parent else None, "phase": phase},
    )
    return office


@transaction.atomic
def office_update(
    *,
    actor: Actor,
    office: Office,
    name: str,
    name_hi: str = "",
    kind: str | None = None,
    phase: int | None = None,
    status: str | None = None,
    address: str = "",
    go_live_target: datetime.date | None = None,
    abbr: str | None = None,
) -> Office:
    """Edit an office's names, short code, type, address, phase, status and planned go-live date (not a
    closed office's: it is kept for history as it was).

    The status moves only between planned and preparing here; going live and closing have their
    own services. A new type must suit the office's parent and its sub-offices. District admins.
    """
    _tree_lock()
    locked = Office.objects.select_for_update().get(pk=office.pk)
    if locked.status == Office.Status.CLOSED:
        raise ValidationError(_("%(office)s is closed; it is kept as it was.") % {"office": locked.name})
    kind = kind or locked.kind
    phase = locked.phase if phase is None else phase
    status = status or locked.status
    fields = _clean_fields(name=name, phase=phase, address=address)
    if kind not in K.values:
        raise ValidationError({"kind": _("Choose the type of office.")})
    if status != locked.status and not (locked.status in EDITABLE_STATUSES and status in EDITABLE_STATUSES):
        raise ValidationError({"status": _("Here an office moves only between planned and preparing.")})
    if kind != locked.kind:
        office_parent_check(kind=kind, parent=locked.parent, office=locked)
        for child in locked.children.exclude(status=Office.Status.CLOSED):
            allowed = PARENT_KINDS.get(child.kind)
            if allowed is not None and kind not in allowed:
                raise ValidationError(
                    {
                        "kind": _("%(child)s sits under this office and cannot sit under a %(kind)s.")
                        % {"child": child.name, "kind": _kind_label(kind)}
                    }
                )
    abbr = locked.abbr if abbr is None else office_abbr_clean(abbr, office=locked)
    before = {
        f: str(getattr(locked, f)) for f in ("name", "name_hi", "abbr", "kind", "phase", "status", "address")
    }
    locked.name, locked.name_hi, locked.abbr = fields["name"], " ".join((name_hi or "").split()), abbr
    locked.kind, locked.phase, locked.status = kind, phase, status
    locked.address, locked.go_live_target = fields["address"], go_live_target
    locked.save(
        update_fields=["name", "name_hi", "abbr", "kind", "phase", "status", "address", "go_live_target"]
    )
    after = {f: str(getattr(locked, f)) for f in before}
    audit_append(
        actor=actor,
        action="office.update",
        target=locked,
        summary=locked.name,
        details={"changed": {f: [before[f], after[f]] for f in before if before[f] != after[f]}},
    )
    return locked


@transaction.atomic
def office_move(*, actor: Actor, office: Office, parent: Office | None) -> Office:
    """Put an office under another parent (or at the top). Refuses a cycle, a parent of the wrong
    kind and a closed parent. District admins."""
    _tree_lock()
    locked = Office.objects.select_for_update().get(pk=office.pk)
    if locked.status == Office.Status.CLOSED:
        raise ValidationError({"parent": _("%(office)s is closed.") % {"office": locked.name}})
    if parent is not None:
        parent = Office.objects.get(pk=parent.pk)
    office_parent_check(kind=locked.kind, parent=parent, office=locked)
    before = locked.parent
    locked.parent = parent
    locked.save(update_fields=["parent"])
    audit_append(
        actor=actor,
        action="office.move",
        target=locked,
        summary=locked.name,
        details={"from": before.code if before else None, "to": parent.code if parent else None},
    )
    return locked


def office_holdings(office: Office) -> dict[str, int]:
    """{what: how many} the office still holds open: people posted to its posts (now or from a
    later date), open sub-offices, and whatever is registered in ``core.base.records``."""
    today = timezone.localdate()
    holdings = {}
    people = (
        Posting.objects.filter(post__office=office)
        .exclude(ends_on__lt=today)
        .values("person_id")
        .distinct()
        .count()
    )
    if people:
        holdings[str(_("people posted to its posts"))] = people
    children = office.children.exclude(status=Office.Status.CLOSED).count()
    if children:
        holdings[str(_("open sub-offices"))] = children
    holdings.update(office_open_records(office))
    return holdings


@transaction.atomic
def office_close(*, actor: Actor, office: Office, closed_on: datetime.date, reason: str) -> Office:
    """Close an office on ``closed_on`` for ``reason``: it stays, with its history, and is never
    deleted. Refused while it holds anything open (see ``office_holdings``). District admins."""
    _tree_lock()
    locked = Office.objects.select_for_update().get(pk=office.pk)
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["close_reason"] = _("Say why the office is closing.")
    if closed_on is None:
        errors["closed_on"] = _("Give the date the office closes.")
    elif closed_on > timezone.localdate():
        errors["closed_on"] = _("The closing date cannot be in the future.")
    if locked.status == Office.Status.CLOSED:
        errors["closed_on"] = _("%(office)s closed on %(day)s.") % {
            "office": locked.name,
            "day": formats.date_format(locked.closed_on, "DATE_FORMAT"),
        }
    if errors:
        raise ValidationError(errors)
    holdings = office_holdings(locked)
    if holdings:
        raise ValidationError(
            _("%(office)s still holds open records (%(what)s); move or close them first.")
            % {
                "office": locked.name,
                "what": ", ".join(f"{label}: {n}" for label, n in holdings.items()),
            },
            code="holds_records",
        )
    locked.status, locked.closed_on, locked.close_reason = Office.Status.CLOSED, closed_on, reason
    locked.save(update_fields=["status", "closed_on", "close_reason"])
    audit_append(
        actor=actor,
        action="office.close",
        target=locked,
        summary=locked.name,
        details={"closed_on": closed_on.isoformat(), "reason": reason},
    )
    return locked
