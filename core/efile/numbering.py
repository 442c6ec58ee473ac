"""Diary, dispatch and file numbers: per office, per kind, per year, with no gaps or repeats.

``number_next`` draws the next serial with one ``INSERT … ON CONFLICT DO UPDATE … RETURNING``:
the row lock it takes is held until the caller's transaction ends, so two clerks diarising at
once get consecutive numbers, and a transaction that rolls back gives its number back.
"""

from __future__ import annotations

from django.db import connection

from core.models import FileHead, NumberSequence, Office

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


def diary_number(*, office: Office, year: int, serial: int) -> str:
    """``SPVAI/2025/000123``."""
    return f"{office.number_prefix}/{year}/{serial:06d}"


def dispatch_number(*, office: Office, year: int, serial: int) -> str:
    """``SPVAI/D/2025/000045``."""
    return f"{office.number_prefix}/D/{year}/{serial:06d}"


def file_number(*, office: Office, head: FileHead, year: int, serial: int) -> str:
    """``SPVAI/CRIME/2025/0007``."""
    return f"{office.number_prefix}/{head.code}/{year}/{serial:04d}"
