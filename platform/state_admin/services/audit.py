"""The platform audit log: every action of platform staff, written in the action's transaction.

Each staff service takes ``actor`` (a ``StaffActor``: the account and where the request came
from) and calls ``audit_record`` inside its own atomic block, so an action and its record are
committed together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from state_admin.models import AuditEvent
from tenants.models import District, User


@dataclass(frozen=True)
class StaffActor:
    user: User
    ip: str | None = None
    user_agent: str = ""

    @classmethod
    def from_request(cls, request, *, user: User | None = None) -> StaffActor:
        """The signed-in person (or ``user``, e.g. the account a failed sign-in named) and where
        the request came from."""
        return cls(
            user=user or request.user,
            ip=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )

    def as_task_args(self) -> dict:
        """What a background task needs to act, and audit, as this person."""
        return {"actor_id": self.user.pk, "actor_ip": self.ip, "actor_agent": self.user_agent}

    @classmethod
    def from_task_args(cls, *, actor_id: int | None, actor_ip: str | None = None, actor_agent: str = ""):
        user = User.objects.filter(pk=actor_id).first() if actor_id else None
        return cls(user=user, ip=actor_ip, user_agent=actor_agent) if user else None


def audit_record(
    *,
    actor: StaffActor | None,
    action: str,
    district: District | None = None,
    district_slug: str = "",
    target: str = "",
    details: dict | None = None,
) -> AuditEvent:
    """Append one event. Must run inside the transaction of the action it records."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the action's transaction")
    user = actor.user if actor else None
    return AuditEvent.objects.create(
        actor=user,
        actor_login=user.login_id if user else "system",
        action=action,
        district=district,
        district_slug=district.slug if district else district_slug,
        target=target[:200],
        details=details or {},
        ip=actor.ip if actor else None,
        user_agent=actor.user_agent if actor else "",
    )
