"""Dak (inward receipts): diarise a letter, mark it to a post, take it in, put it in a file,
close it, and record that someone read it."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.actors import as_post, require_item_held, require_open_office, require_post_held
from core.base.audit import Actor, audit_append
from core.base.text import clean_text
from core.efile.numbering import DIARY, diary_number, number_create, number_next
from core.efile.services.common import REMARKS_MAX, item_send, item_take_in
from core.efile.services.notes import require_file_workable
from core.efile.services.tracking import file_touch, item_arrive, item_lock, item_receive
from core.models import EFile, Movement, Post, Receipt

# Remarks on a mark and a closing remark: as long as a file's remarks may be (services/movement.py).


def _require_receipt_open(receipt: Receipt) -> None:
    if receipt.status != Receipt.Status.OPEN:
        raise ValidationError(
            _("Dak %(number)s is no longer open.") % {"number": receipt.diary_number}, code="not_open"
        )


@transaction.atomic
def receipt_diarise(
    *,
    actor: Actor,
    post: Post,
    mode: str,
    sender: str,
    subject: str,
    received_on: datetime.date | None = None,
    sender_address: str = "",
    letter_date: datetime.date | None = None,
    letter_reference: str = "",
    occurred_at: datetime.datetime | None = None,
    reserved_serial: int | None = None,
) -> Receipt:
    """Diarise an inward letter at ``post`` (held by the acting person): the next diary number of
    the post's office for the year of receipt (``SPVAI/2025/000123``); the receipt starts at
    ``post``, taken in. Mark it onward with ``receipt_send``.

    Back-entry after an outage (only through ``core.outage``, which checks the outage and the
    reservation): ``occurred_at`` is the letter's true time of receipt and ``reserved_serial`` the
    serial reserved for the paper register (of the year of ``occurred_at``); the receipt is dated
    then and marked back-entered now."""
    require_post_held(actor, post)
    office = post.office
    require_open_office(office)
    if (occurred_at is None) != (reserved_serial is None):
        raise ValueError("a back-entry needs both its true time and its reserved serial")
    entered_at = timezone.now() if occurred_at else None
    if occurred_at:
        if occurred_at > entered_at:
            raise ValidationError({"occurred_at": [_("The true time cannot be in the future.")]})
        received_on = timezone.localdate(occurred_at)
    day = received_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"received_on": [_("The date of receipt cannot be in the future.")]})
    if letter_date and letter_date > day:
        raise ValidationError({"letter_date": [_("The letter cannot be dated after it was received.")]})
    if mode not in Receipt.Mode.values:
        raise ValidationError({"mode": [_("Choose how the letter came.")]})
    serial = reserved_serial or number_next(office=office, kind=DIARY, year=day.year)
    number = diary_number(office=office, year=day.year, serial=serial)
    fields = dict(
        office=office,
        diary_number=number,
        year=day.year,
        serial=serial,
        received_on=day,
        mode=mode,
        sender=clean_text(sender, field="sender", max_length=200),
        sender_address=clean_text(sender_address, field="sender_address", required=False),
        subject=clean_text(subject, field="subject", max_length=500),
        letter_date=letter_date,
        letter_reference=clean_text(
            letter_reference, field="letter_reference", required=False, max_length=200
        ),
        current_post=post,
        created_by=actor.person,
        created_post=post,
    )
    if occurred_at:
        fields |= dict(created_at=occurred_at, arrived_at=occurred_at, back_entered_at=entered_at)
    receipt = number_create(
        lambda: Receipt.objects.create(**fields), model=Receipt, field="diary_number", number=number
    )
    item_arrive(
        item=receipt,
        to_post=post,
        by=actor.person,
        action=Movement.Action.CREATED,
        from_post=None,
        received=True,
        at=occurred_at,
        back_entered_at=entered_at,
    )
    audit_append(
        actor=as_post(actor, post),
        action="receipt.diarise",
        target=receipt,
        summary=f"{receipt.diary_number}: {receipt.subject}",
        details={"sender": receipt.sender, "mode": receipt.mode, "received_on": day.isoformat()}
        | ({"occurred_at": occurred_at.isoformat(), "back_entered": True} if occurred_at else {}),
    )
    return receipt


@transaction.atomic
def receipt_send(
    *,
    actor: Actor,
    receipt: Receipt,
    to_post: Post,
    remarks: str = "",
    due_on: datetime.date | None = None,
    occurred_at: datetime.datetime | None = None,
) -> Receipt:
    """Mark a receipt that is at the acting person's post to another post, with remarks (at most
    2000 characters) and an optional due date. It waits there, new, for whoever holds that post.
    ``occurred_at``: marked on paper during an outage, back-entered now (``core.outage``)."""
    receipt = item_lock(receipt)
    from_post = require_item_held(actor, receipt)
    _require_receipt_open(receipt)
    item_send(
        actor=actor,
        item=receipt,
        from_post=from_post,
        to_post=to_post,
        remarks=remarks,
        due_on=due_on,
        already_here=_("The dak is already at this post."),
        audit_action="receipt.send",
        occurred_at=occurred_at,
    )
    return receipt


@transaction.atomic
def receipt_receive(*, actor: Actor, receipt: Receipt) -> Receipt:
    """A holder of the post the receipt waits at takes it in (it stops showing as new). Taking in
    a receipt already taken in changes nothing and records nothing."""
    receipt = item_lock(receipt)
    post = require_item_held(actor, receipt)
    _require_receipt_open(receipt)
    if item_receive(item=receipt, by=actor.person):
        audit_append(
            actor=as_post(actor, post), action="receipt.receive", target=receipt, summary=receipt.diary_number
        )
    return receipt


@transaction.atomic
def receipt_attach(*, actor: Actor, receipt: Receipt, file: EFile) -> Receipt:
    """Put an open receipt that is at one of the acting person's posts into a file that is at one
    of their posts and being worked on (neither closed nor parked). The receipt then shows on the
    file's correspondence side and is visible to whoever may see the file; it stays attached for
    good (no longer open)."""
    receipt = item_lock(receipt)
    post = require_item_held(actor, receipt)
    _require_receipt_open(receipt)
    file = item_lock(file)
    try:
        require_item_held(actor, file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    try:
        require_file_workable(file)  # not closed, nor parked (as for a note on it)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    now = timezone.now()
    receipt.status, receipt.file, receipt.attached_at = Receipt.Status.ATTACHED, file, now
    Receipt.objects.filter(pk=receipt.pk).update(status=receipt.status, file=file, attached_at=now)
    item_take_in(actor=actor, item=receipt, post=post, on="receipt.attach")  # putting it away is taking it in
    file_touch(file)
    audit_append(
        actor=as_post(actor, post),
        action="receipt.attach",
        target=receipt,
        summary=f"{receipt.diary_number} → {file.number}",
        details={"file": file.pk, "file_number": file.number},
    )
    return receipt


@transaction.atomic
def receipt_close(*, actor: Actor, receipt: Receipt, remark: str) -> Receipt:
    """Close an open receipt at the acting person's post with a remark (required, at most 2000
    characters): no action
    needed, filed elsewhere, returned to sender … It stays at the post, closed, on its track."""
    receipt = item_lock(receipt)
    post = require_item_held(actor, receipt)
    _require_receipt_open(receipt)
    remark = clean_text(remark, field="remark", max_length=REMARKS_MAX)
    item_take_in(actor=actor, item=receipt, post=post, on="receipt.close")
    closing = item_arrive(
        item=receipt,
        to_post=post,
        by=actor.person,
        action=Movement.Action.CLOSED,
        from_post=post,
        remarks=remark,
        received=True,
        notify=False,
    )
    # Closed when the closing step was taken (as file_close does): the receipt and its track agree.
    receipt.status, receipt.closed_at, receipt.close_remark = Receipt.Status.CLOSED, closing.at, remark
    Receipt.objects.filter(pk=receipt.pk).update(
        status=receipt.status, closed_at=closing.at, close_remark=remark
    )
    audit_append(
        actor=as_post(actor, post),
        action="receipt.close",
        target=receipt,
        summary=receipt.diary_number,
        details={"remark": remark},
    )
    return receipt


@transaction.atomic
def receipt_view_record(*, actor: Actor, receipt: Receipt) -> None:
    """Someone opened the receipt's page: an event in the audit trail (callers checked they may see it)."""
    audit_append(actor=actor, action="receipt.view", target=receipt, summary=receipt.diary_number)
