"""Outage writes: declare (reserving the paper registers' numbers), end, and back-entry of dak,
notes and movements. Every back-entry goes through the e-File's own service with its true time
(``occurred_at``), so the record, its track, its audit event (dated when it is entered, carrying
the true time) and the search index are exactly those of live work, marked back-entered."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.base.actors import as_post, require_item_held
from core.base.audit import Actor, audit_append
from core.base.names import name_in_language
from core.base.text import clean_text
from core.efile.numbering import DIARY, diary_number, number_reserve
from core.efile.services.documents import document_upload
from core.efile.services.movement import file_send
from core.efile.services.notes import note_add
from core.efile.services.receipts import receipt_diarise, receipt_send
from core.models import BackEntry, EFile, Movement, Note, Office, Outage, OutageNumber, Post, Receipt
from core.outage.access import manager_post

SLIP = "slip"
COUNT_MAX = 1000


def slip_number(*, office: Office, year: int, serial: int) -> str:
    """``SPVAI/MS/2026/000012``: a movement slip of the paper register."""
    return f"{office.number_prefix}/MS/{year}/{serial:06d}"


def _when(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _require_manager(actor: Actor) -> Post:
    post = manager_post(actor.person)
    if post is None:
        raise ValidationError(
            _("Only the district admin or the SP may declare or end an outage."), code="not_manager"
        )
    return post


def _offices_covered(office: Office | None) -> list[Office]:
    if office is not None:
        return [office]
    return list(Office.objects.exclude(status=Office.Status.CLOSED).order_by("pk"))


@transaction.atomic
def outage_declare(
    *,
    actor: Actor,
    office: Office | None,
    started_at: datetime.datetime,
    reason: str = "",
    diary_count: int = 50,
    slip_count: int = 50,
) -> Outage:
    """Declare an outage of ``office`` (None: the whole district) from ``started_at`` (not in the
    future). The district admin or the SP only. Reserves ``diary_count`` diary numbers and
    ``slip_count`` movement-slip numbers for each office covered, out of the live sequences of the
    year the outage began, so live diarising never takes them. Refused while another open outage
    already covers the office (or, for the district, any office)."""
    post = _require_manager(actor)
    if started_at > timezone.now():
        raise ValidationError({"started_at": [_("An outage cannot start in the future.")]})
    for field, count in (("diary_count", diary_count), ("slip_count", slip_count)):
        if not 1 <= count <= COUNT_MAX:
            raise ValidationError({field: [_("Reserve between 1 and %(n)d numbers.") % {"n": COUNT_MAX}]})
    if office is not None and office.status == Office.Status.CLOSED:
        raise ValidationError({"office": [_("%(office)s is closed.") % {"office": name_in_language(office)}]})
    reason = clean_text(reason, field="reason", required=False, max_length=300)
    open_ones = Outage.objects.select_for_update().filter(ended_at__isnull=True)
    if office is not None:
        open_ones = open_ones.filter(Q(office__isnull=True) | Q(office=office))
    if open_ones.exists():
        raise ValidationError(
            _("An outage already declared for this office is still open; end it first."), code="open"
        )
    outage = Outage.objects.create(
        office=office,
        started_at=started_at,
        reason=reason,
        diary_count=diary_count,
        slip_count=slip_count,
        declared_by=actor.person,
        declared_post=post,
    )
    year = timezone.localtime(started_at).year
    numbers = []
    for covered in _offices_covered(office):
        for kind, count, make in ((DIARY, diary_count, diary_number), (SLIP, slip_count, slip_number)):
            for serial in number_reserve(office=covered, kind=kind, year=year, count=count):
                numbers.append(
                    OutageNumber(
                        outage=outage,
                        office=covered,
                        kind=kind,
                        year=year,
                        serial=serial,
                        number=make(office=covered, year=year, serial=serial),
                    )
                )
    OutageNumber.objects.bulk_create(numbers, batch_size=2000)
    audit_append(
        actor=as_post(actor, post),
        action="outage.declare",
        target=outage,
        summary=name_in_language(office) if office else _("the whole district"),
        details={
            "office": office.pk if office else None,
            "started_at": started_at.isoformat(),
            "reason": reason,
            "diary_count": diary_count,
            "slip_count": slip_count,
            "numbers": len(numbers),
        },
    )
    return outage


@transaction.atomic
def outage_end(*, actor: Actor, outage: Outage, ended_at: datetime.datetime) -> Outage:
    """Record when the outage ended (not before it began, not in the future). The district admin
    or the SP only, once. Back-entry stays open afterwards, for times inside the outage."""
    post = _require_manager(actor)
    outage = Outage.objects.select_for_update().get(pk=outage.pk)
    if outage.ended_at is not None:
        raise ValidationError(_("This outage has already ended."), code="ended")
    if ended_at > timezone.now():
        raise ValidationError({"ended_at": [_("The end cannot be in the future.")]})
    if ended_at < outage.started_at:
        raise ValidationError(
            {
                "ended_at": [
                    _("The outage began at %(when)s; it cannot end before.")
                    % {"when": _when(outage.started_at)}
                ]
            }
        )
    last = BackEntry.objects.filter(outage=outage).order_by("-occurred_at").first()
    if last is not None and ended_at < last.occurred_at:
        raise ValidationError(
            {
                "ended_at": [
                    _("Work was back-entered at %(when)s; the outage cannot end before.")
                    % {"when": _when(last.occurred_at)}
                ]
            }
        )
    outage.ended_at, outage.ended_by = ended_at, actor.person
    outage.save(update_fields=["ended_at", "ended_by"])
    audit_append(
        actor=as_post(actor, post),
        action="outage.end",
        target=outage,
        summary=_when(ended_at),
        details={"ended_at": ended_at.isoformat()},
    )
    return outage


def _outage_locked(outage: Outage) -> Outage:
    """The outage's row again, locked: back-entries and its ending take turns, so an ending never
    slips in before a back-entry it would exclude."""
    return Outage.objects.select_for_update().get(pk=outage.pk)


def require_in_outage(*, outage: Outage, office_id: int, occurred_at: datetime.datetime | None) -> None:
    """Refuse a back-entry whose true time lies outside ``outage`` (before its start, after its end,
    in the future) or whose office it does not cover."""
    if outage.office_id is not None and outage.office_id != office_id:
        raise ValidationError(
            _("This outage was declared for %(office)s only; this work belongs to another office.")
            % {"office": name_in_language(outage.office)},
            code="other_office",
        )
    if occurred_at is None:
        raise ValidationError({"occurred_at": [_("Give the true date and time from the paper register.")]})
    if occurred_at > timezone.now():
        raise ValidationError({"occurred_at": [_("The true time cannot be in the future.")]})
    if occurred_at < outage.started_at:
        raise ValidationError(
            {
                "occurred_at": [
                    _("The outage began at %(when)s; a back-entry cannot be dated before it.")
                    % {"when": _when(outage.started_at)}
                ]
            }
        )
    if outage.ended_at is not None and occurred_at > outage.ended_at:
        raise ValidationError(
            {
                "occurred_at": [
                    _("The outage ended at %(when)s; work after that was done in Karyalay.")
                    % {"when": _when(outage.ended_at)}
                ]
            }
        )


def _number_take(
    *, outage: Outage, number: str, kind: str, office_id: int, year: int | None = None
) -> OutageNumber:
    """Lock and return the reserved ``number`` of ``outage``: of ``kind``, for the office, unused."""
    text = (number or "").strip()
    reserved = (
        OutageNumber.objects.select_for_update().filter(outage=outage, kind=kind, number__iexact=text).first()
    )
    if reserved is None:
        raise ValidationError(
            {"number": [_("%(number)s is not a number reserved for this outage.") % {"number": text or "—"}]}
        )
    if reserved.used_at is not None:
        raise ValidationError(
            {"number": [_("Number %(number)s has already been back-entered.") % {"number": reserved.number}]},
        )
    if reserved.office_id != office_id:
        raise ValidationError(
            {"number": [_("Number %(number)s is reserved for another office.") % {"number": reserved.number}]}
        )
    if year is not None and reserved.year != year:
        raise ValidationError(
            {
                "number": [
                    _("Number %(number)s is of the register of %(year)d.")
                    % {"number": reserved.number, "year": reserved.year}
                ]
            }
        )
    return reserved


def _record(
    *, actor: Actor, post_id: int, outage: Outage, kind: str, occurred_at, number=None, **target
) -> BackEntry:
    now = timezone.now()
    if number is not None:
        number.used_at = now
        number.save(update_fields=["used_at"])
    entry = BackEntry.objects.create(
        outage=outage,
        kind=kind,
        occurred_at=occurred_at,
        entered_at=now,
        entered_by=actor.person,
        number=number,
        **target,
    )
    audit_append(
        actor=as_post(actor, post_id),
        action="outage.back_enter",
        target=entry,
        summary=f"{kind} {number.number if number else ''}".strip(),
        details={
            "outage": outage.pk,
            "kind": kind,
            "occurred_at": occurred_at.isoformat(),
            "number": number.number if number else None,
        }
        | {name: value.pk for name, value in target.items()},
    )
    return entry


def _scans(actor: Actor, post_id: int, uploads, **owner) -> None:
    if uploads:
        document_upload(actor=as_post(actor, post_id), uploads=uploads, title=_("Paper register"), **owner)


@transaction.atomic
def outage_dak_back_enter(
    *,
    actor: Actor,
    outage: Outage,
    post: Post,
    number: str,
    occurred_at: datetime.datetime | None,
    mode: str,
    sender: str,
    subject: str,
    sender_address: str = "",
    letter_date: datetime.date | None = None,
    letter_reference: str = "",
    uploads=(),
) -> Receipt:
    """Bring back a letter diarised on paper during ``outage``: diarised at ``post`` (held by the
    acting person, of an office the outage covers) with the reserved diary ``number`` written on
    the paper register and its true time of receipt, its scanned register page attached. The
    number is used once; the receipt is marked back-entered."""
    outage = _outage_locked(outage)
    require_in_outage(outage=outage, office_id=post.office_id, occurred_at=occurred_at)
    year = timezone.localtime(occurred_at).year
    reserved = _number_take(outage=outage, number=number, kind=DIARY, office_id=post.office_id, year=year)
    receipt = receipt_diarise(
        actor=actor,
        post=post,
        mode=mode,
        sender=sender,
        subject=subject,
        sender_address=sender_address,
        letter_date=letter_date,
        letter_reference=letter_reference,
        occurred_at=occurred_at,
        reserved_serial=reserved.serial,
    )
    _scans(actor, post.pk, uploads, receipt=receipt)
    _record(
        actor=actor,
        post_id=post.pk,
        outage=outage,
        kind=BackEntry.Kind.DAK,
        occurred_at=occurred_at,
        number=reserved,
        receipt=receipt,
    )
    return receipt


@transaction.atomic
def outage_note_back_enter(
    *, actor: Actor, outage: Outage, file: EFile, body: str, occurred_at: datetime.datetime | None, uploads=()
) -> Note:
    """Bring back a note written on paper during ``outage`` on a file at the acting person's post
    (of an office the outage covers), with its true time and the scanned note attached."""
    post = require_item_held(actor, file)
    outage = _outage_locked(outage)
    require_in_outage(outage=outage, office_id=post.office_id, occurred_at=occurred_at)
    _scans(actor, post.pk, uploads, file=file)
    note = note_add(actor=actor, file=file, body=body, occurred_at=occurred_at)
    _record(
        actor=actor,
        post_id=post.pk,
        outage=outage,
        kind=BackEntry.Kind.NOTE,
        occurred_at=occurred_at,
        note=note,
    )
    return note


@transaction.atomic
def outage_movement_back_enter(
    *,
    actor: Actor,
    outage: Outage,
    item: EFile | Receipt,
    to_post: Post,
    number: str,
    occurred_at: datetime.datetime | None,
    remarks: str = "",
    uploads=(),
) -> Movement:
    """Bring back a file or dak sent on a paper movement slip during ``outage`` from the acting
    person's post (of an office the outage covers) to ``to_post``: the slip's reserved ``number``
    (used once), its true time (not before the item reached the post), the scanned slip attached."""
    post = require_item_held(actor, item)
    outage = _outage_locked(outage)
    require_in_outage(outage=outage, office_id=post.office_id, occurred_at=occurred_at)
    reserved = _number_take(outage=outage, number=number, kind=SLIP, office_id=post.office_id)
    owner = {"file": item} if isinstance(item, EFile) else {"receipt": item}
    _scans(actor, post.pk, uploads, **owner)
    send = file_send if isinstance(item, EFile) else receipt_send
    send(actor=actor, **owner, to_post=to_post, remarks=remarks, occurred_at=occurred_at)
    movement = Movement.objects.filter(**owner, back_entered_at__isnull=False).order_by("-id").first()
    _record(
        actor=actor,
        post_id=post.pk,
        outage=outage,
        kind=BackEntry.Kind.MOVEMENT,
        occurred_at=occurred_at,
        number=reserved,
        movement=movement,
    )
    return movement


@transaction.atomic
def outage_register_record(*, actor: Actor, outage: Outage, kind: str) -> None:
    """Someone printed an outage's paper register (the caller checked they may see the outage)."""
    audit_append(actor=actor, action="outage.register", target=outage, summary=kind, details={"kind": kind})


@transaction.atomic
def outage_view_record(*, actor: Actor, outage: Outage) -> None:
    """Someone opened an outage's page and its report (the caller checked they may see it)."""
    audit_append(actor=actor, action="outage.view", target=outage, summary=str(outage.pk))
