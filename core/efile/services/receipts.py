"""Dak (inward receipts): diarise a letter, mark it to a post."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import Actor, audit_append
from core.efile.numbering import DIARY, diary_number, number_next
from core.efile.services.common import (
    as_post,
    clean_text,
    require_item_held,
    require_open_office,
    require_open_post,
    require_post_held,
)
from core.efile.services.tracking import item_arrive, item_lock
from core.models import Movement, Post, Receipt


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
) -> Receipt:
    """Diarise an inward letter at ``post`` (held by the acting person): the next diary number of
    the post's office for the year of receipt (``SPVAI/2025/000123``); the receipt starts at
    ``post``, taken in. Mark it onward with ``receipt_send``."""
    require_post_held(actor, post)
    office = post.office
    require_open_office(office)
    day = received_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"received_on": [_("The date of receipt cannot be in the future.")]})
    if letter_date and letter_date > day:
        raise ValidationError({"letter_date": [_("The letter cannot be dated after it was received.")]})
    if mode not in Receipt.Mode.values:
        raise ValidationError({"mode": [_("Choose how the letter came.")]})
    serial = number_next(office=office, kind=DIARY, year=day.year)
    receipt = Receipt.objects.create(
        office=office,
        diary_number=diary_number(office=office, year=day.year, serial=serial),
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
    item_arrive(
        item=receipt,
        to_post=post,
        by=actor.person,
        action=Movement.Action.CREATED,
        from_post=None,
        received=True,
    )
    audit_append(
        actor=as_post(actor, post),
        action="receipt.diarise",
        target=receipt,
        summary=f"{receipt.diary_number}: {receipt.subject}",
        details={"sender": receipt.sender, "mode": receipt.mode, "received_on": day.isoformat()},
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
) -> Receipt:
    """Mark a receipt that is at the acting person's post to another post, with remarks and an
    optional due date. It waits there, new, for whoever holds that post."""
    receipt = item_lock(receipt)
    from_post = require_item_held(actor, receipt)
    if receipt.status != Receipt.Status.OPEN:
        raise ValidationError(_("Dak %(number)s is no longer open.") % {"number": receipt.diary_number})
    require_open_post(to_post)
    if to_post.pk == from_post.pk:
        raise ValidationError({"to_post": [_("The dak is already at this post.")]})
    if due_on and due_on < timezone.localdate():
        raise ValidationError({"due_on": [_("The due date cannot be in the past.")]})
    remarks = clean_text(remarks, field="remarks", required=False)
    item_arrive(
        item=receipt,
        to_post=to_post,
        by=actor.person,
        action=Movement.Action.SENT,
        from_post=from_post,
        remarks=remarks,
        due_on=due_on,
    )
    audit_append(
        actor=as_post(actor, from_post),
        action="receipt.send",
        target=receipt,
        summary=f"{receipt.diary_number} → {to_post.title}",
        details={"to_post": to_post.pk, "remarks": remarks, "due_on": due_on.isoformat() if due_on else None},
    )
    return receipt
