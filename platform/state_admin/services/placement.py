"""Where districts live on a Citus cluster, and moving one (issue 21; tenants/citus.py)."""

from __future__ import annotations

from django.db import connection, transaction

from state_admin.services.audit import StaffActor, audit_record
from tenants import citus
from tenants.models import District, User


def district_move(*, district: District, target: str, mode: str = "auto", user: User | None = None) -> dict:
    """Move ``district``'s schema to the worker ``target`` while it serves, then record the move in
    the platform audit log (the move itself cannot run in a transaction; a failed move leaves the
    district where it was and records nothing)."""
    result = citus.schema_move(connection, district.schema_name, target, mode=mode)
    if result["moved"]:
        with transaction.atomic():
            audit_record(
                actor=StaffActor(user=user) if user else None,
                action="district.move",
                district=district,
                details={
                    "from": result["source"],
                    "to": result["target"],
                    "mode": mode,
                    "seconds": round(result["seconds"], 3),
                },
            )
    return result


def district_placement(district: District) -> str | None:
    """The worker ("host:port") that holds ``district``, or None (not on Citus, or no schema)."""
    return citus.schema_placement(connection, district.schema_name)
