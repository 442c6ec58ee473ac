"""Writing an import's checked rows: accounts, blank details filled in, postings and transfers, in
a few queries per chunk. Shared by the state console's import and a district admin's import.

Callers run ``rows_write`` inside the chunk's transaction and audit what it did (each transfer in
``rows_transferred``) in their own trail.
"""

from __future__ import annotations

import datetime
import secrets
from collections import defaultdict

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

from core.org.officer_import.check import Action, CheckedRow
from core.org.services import posting_bulk
from tenants.context import district_context
from tenants.models import District, User


def _unusable_password() -> str:
    # What make_password(None) stores, without its slow per-character random choice.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def rows_write(rows: list[CheckedRow], *, today: datetime.date) -> dict[int, District]:
    """Accounts (with no usable password), postings and transfers for these checked rows.

    A transfer ends the person's open postings in the districts they leave. Returns the districts
    the rows touched, by id. Runs inside the caller's transaction; the connection's schema is the
    same afterwards.
    """
    new = [row for row in rows if row.action == Action.ACCOUNT]
    users = User.objects.bulk_create(
        [
            User(
                login_id=row.values["login_id"],
                password=_unusable_password(),
                full_name=row.values["name"],
                full_name_hi=row.values["name_hi"],
                email=row.values["email"],
                service_number=row.values["service_number"],
                rank=row.values["rank"],
                mobile=row.values["mobile"],
                must_set_password=False,
            )
            for row in new
        ]
    )
    for row, user in zip(new, users, strict=True):
        row.person_id = user.pk
    _accounts_fill([row for row in rows if row.fill])
    to_post = [row for row in rows if row.action in (Action.ACCOUNT, Action.POSTING, Action.TRANSFER)]
    by_district: dict[int, list[CheckedRow]] = defaultdict(list)
    for row in to_post:
        by_district[row.district_id].append(row)
    districts = District.objects.in_bulk({*by_district, *(d for r in to_post for d in r.transfer_from)})
    for district_id, district_rows in by_district.items():
        with district_context(districts[district_id].schema_name):
            posting_bulk.postings_start_bulk(
                pairs=[(row.person_id, row.post_id) for row in district_rows], starts_on=today
            )
    leaving: dict[int, set[int]] = defaultdict(set)
    for row in to_post:
        for district_id in row.transfer_from:
            leaving[district_id].add(row.person_id)
    for district_id, person_ids in leaving.items():
        with district_context(districts[district_id].schema_name):
            posting_bulk.postings_end_bulk(person_ids=person_ids, ends_on=today)
    return districts


def rows_transferred(rows: list[CheckedRow]) -> list[CheckedRow]:
    """The rows whose person left another district (their old postings there have ended)."""
    return [row for row in rows if row.action == Action.TRANSFER and row.transfer_from]


def _accounts_fill(rows: list[CheckedRow]) -> None:
    """Fill in blank details of known accounts (never overwrite), one UPDATE per set of fields."""
    groups: dict[tuple[str, ...], list[User]] = defaultdict(list)
    for row in rows:
        user = User(pk=row.person_id, **row.fill)
        groups[tuple(sorted(row.fill))].append(user)
    for fields, users in groups.items():
        User.objects.bulk_update(users, fields)
