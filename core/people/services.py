"""The directory's one write: the audit event of a card read."""

from __future__ import annotations

from django.db import transaction

from core.base.audit import Actor, audit_append
from tenants.models import User


@transaction.atomic
def person_view_record(*, actor: Actor, person: User) -> None:
    """Record that the actor opened ``person``'s directory card (``person.view``, a read: the
    search index ignores it). Called by the card's view after ``person_for`` found the person."""
    audit_append(
        actor=actor,
        action="person.view",
        target=person,
        summary=(person.full_name or person.service_number or str(person.pk))[:300],
    )


__all__ = ["person_view_record"]
