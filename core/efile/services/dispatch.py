"""Outward dak: a letter leaving an office, entered in its outward register with a number."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.actors import as_post, require_open_office, require_post_held
from core.base.audit import Actor, audit_append
from core.base.text import clean_text
from core.efile.numbering import DISPATCH, dispatch_number, number_create, number_next
from core.efile.services.notes import require_file_workable
from core.efile.services.tracking import item_lock
from core.models import Dispatch, EFile, Post, Receipt


@transaction.atomic
def dispatch_record(
    *,
    actor: Actor,
    post: Post,
    addressee: str,
    subject: str,
    mode: str = Receipt.Mode.POST,
    addressee_address: str = "",
    dispatched_on: datetime.date | None = None,
    file: EFile | None = None,
) -> Dispatch:
    """Enter a letter in the outward register of ``post``'s office, numbered ``SPVAI/D/2025/000045``.

    The acting person must hold ``post``. ``file`` is given only by ``draft_approve`` (a letter
    approved on the file, which must be neither closed nor parked); the manual outward entry is for
    letters that did not go through e-File and passes none. The date sent (today if not given)
    cannot be in the future and ``mode`` must be one of ``Receipt.Mode``, whoever calls.
    """
    require_post_held(actor, post)
    office = post.office
    require_open_office(office)
    day = dispatched_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"dispatched_on": [_("The date sent cannot be in the future.")]})
    if mode not in Receipt.Mode.values:
        raise ValidationError({"mode": [_("Choose how the letter goes out.")]})
    if file is not None:
        file = item_lock(file)  # its status now, not as the caller last read it
        require_file_workable(file)
    serial = number_next(office=office, kind=DISPATCH, year=day.year)
    number = dispatch_number(office=office, year=day.year, serial=serial)
    fields = dict(
        office=office,
        number=number,
        year=day.year,
        serial=serial,
        dispatched_on=day,
        mode=mode,
        addressee=clean_text(addressee, field="addressee", max_length=200),
        addressee_address=clean_text(addressee_address, field="addressee_address", required=False),
        subject=clean_text(subject, field="subject", max_length=500),
        file=file,
        created_by=actor.person,
        created_post=post,
    )
    dispatch = number_create(
        lambda: Dispatch.objects.create(**fields), model=Dispatch, field="number", number=number
    )
    audit_append(
        actor=as_post(actor, post),
        action="dispatch.record",
        target=dispatch,
        summary=f"{dispatch.number}: {dispatch.subject}",
        details={"file": file.number if file else None, "addressee": dispatch.addressee},
    )
    return dispatch
