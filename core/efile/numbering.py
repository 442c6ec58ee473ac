"""Diary, dispatch and file numbers: per office, per kind, per year, with no gaps or repeats.

``number_next`` draws the next serial with one ``INSERT … ON CONFLICT DO UPDATE … RETURNING``:
the row lock it takes is held until the caller's transaction ends, so two clerks diarising at
once get consecutive numbers, and a transaction that rolls back gives its number back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from core.models import FileHead, NumberSequence, Office

T = TypeVar("T")

DIARY = "diary"
DISPATCH = "dispatch"


def file_kind(head: FileHead) -> str:
    return f"file:{head.code}"


def number_next(*, office: Office, kind: str, year: int) -> int:
    """The next serial for (office, kind, year). Must run inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("number_next must run inside the transaction that uses the number")
    table = NumberSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (office_id, kind, year, last) VALUES (%s, %s, %s, 1)
            ON CONFLICT (office_id, kind, year) DO UPDATE SET last = {table}.last + 1
            RETURNING last
            """,  # noqa: S608 (the table name is the model's own, never input)
            [office.pk, kind, year],
        )
        return cursor.fetchone()[0]


def number_reserve(*, office: Office, kind: str, year: int, count: int) -> range:
    """Take ``count`` consecutive serials of (office, kind, year) out of the live sequence at once
    (an outage's paper register, ``core.outage``): ``number_next`` never hands them out. Must run
    inside the caller's transaction, as ``number_next``."""
    if not connection.in_atomic_block:
        raise RuntimeError("number_reserve must run inside the transaction that keeps the numbers")
    if count < 1:
        raise ValueError("reserve at least one number")
    table = NumberSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (office_id, kind, year, last) VALUES (%s, %s, %s, %s)
            ON CONFLICT (office_id, kind, year) DO UPDATE SET last = {table}.last + EXCLUDED.last
            RETURNING last
            """,  # noqa: S608 (the table name is the model's own, never input)
            [office.pk, kind, year, count],
        )
        last = cursor.fetchone()[0]
    return range(last - count + 1, last + 1)


def diary_number(*, office: Office, year: int, serial: int) -> str:
    """``SPVAI/2025/000123``."""
    return f"{office.number_prefix}/{year}/{serial:06d}"


def dispatch_number(*, office: Office, year: int, serial: int) -> str:
    """``SPVAI/D/2025/000045``."""
    return f"{office.number_prefix}/D/{year}/{serial:06d}"


def file_number(*, office: Office, head: FileHead, year: int, serial: int) -> str:
    """``SPVAI/CRIME/2025/0007``."""
    return f"{office.number_prefix}/{head.code}/{year}/{serial:04d}"


def number_create(create: Callable[[], T], *, model, field: str, number: str) -> T:
    """Run ``create`` (the row carrying ``number``) in a savepoint; if the number is already taken
    (its unique index refuses the row), refuse with a ValidationError instead of failing the
    request. Numbers are unique across the district and begin with the office's short code, which
    can change: the office checks (``office_abbr_clean``) keep codes apart, this is the last guard.
    """
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        if not model.objects.filter(**{field: number}).exists():
            raise  # another constraint: a real fault, not a number clash
        raise ValidationError(
            _(
                "The number %(number)s is already used in this district (by an office that had "
                "this short code before). Ask the district admin to give this office another short code."
            )
            % {"number": number},
            code="number_taken",
        ) from None
