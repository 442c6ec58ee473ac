"""Reads that show an item's or a register's contents outside the pages that record their own
(the file page, the track, the history, a receipt, a download): each leaves an audit event, as
every view must (issue 5: who, which post, what, when, from which address)."""

from __future__ import annotations

import datetime

from django.db import transaction

from core.audit import Actor, audit_append
from core.models import EFile, Office

REGISTER_KINDS = ("files", "inward", "outward")


@transaction.atomic
def file_page_view_record(*, actor: Actor, file: EFile, page: str, **details) -> None:
    """Someone opened a page that shows the file's contents other than the file page (the form to
    change its particulars, to edit a note, to write or change a draft): a ``file.view`` event
    naming the page (and the note or draft). Callers checked they may see the file."""
    audit_append(
        actor=actor, action="file.view", target=file, summary=file.number, details={"page": page, **details}
    )


@transaction.atomic
def register_view_record(
    *,
    actor: Actor,
    register: str,
    office: Office | None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    rows: int,
    **details,
) -> None:
    """Someone read a register (``register``: files, inward or outward) of one office, or of every
    office they see (``office`` None), for a date range or year: a ``register.view`` event with the
    filters and the number of rows shown. Callers filtered the rows by who may see what."""
    if register not in REGISTER_KINDS:
        raise ValueError(f"unknown register {register!r}")
    recorded = {
        "register": register,
        "office": office.code if office is not None else None,
        "rows": rows,
        **details,
    }
    if date_from is not None:
        recorded["date_from"] = date_from.isoformat()
    if date_to is not None:
        recorded["date_to"] = date_to.isoformat()
    where = office.number_prefix if office is not None else "*"
    span = f" {recorded.get('date_from', '')}..{recorded.get('date_to', '')}" if date_from or date_to else ""
    audit_append(
        actor=actor,
        action="register.view",
        target=office,
        target_type="" if office is not None else "office",
        summary=f"{register} {where}{span}",
        details=recorded,
    )
