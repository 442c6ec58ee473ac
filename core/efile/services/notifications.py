"""Notifications a person has read."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.base.audit import Actor, audit_append
from core.models import Notification


@transaction.atomic
def notifications_read(*, actor: Actor, notification_ids: list[int] | None = None) -> int:
    """Mark the acting person's own unread notifications read: those given, or all when None.
    Nobody can mark another person's. Returns how many changed."""
    if actor.person is None:
        return 0
    unread = Notification.objects.filter(person=actor.person, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    ids = list(unread.values_list("pk", flat=True))
    if not ids:
        return 0
    Notification.objects.filter(pk__in=ids).update(read_at=timezone.now())
    audit_append(
        actor=actor,
        action="notification.read",
        target_type="notification",
        target_id=str(ids[0]) if len(ids) == 1 else "",
        summary=str(len(ids)),
        details={"ids": ids[:100], "all": notification_ids is None},
    )
    return len(ids)
