"""Reading a register: it leaves an audit event, as every view must (issue 5: who, which post,
what, when, from which address). A file's pages record theirs with ``files.file_view_record``."""

from __future__ import annotations

import datetime

from django.db import transaction

from core.base.audit import Actor, audit_append
from core.models import Office

REGISTER_KINDS = ("files", "inward", "outward")


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
