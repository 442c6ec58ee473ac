"""Resetting a person's sign-in from the state console: their password and authenticator serve
every district, so no one district's admin resets them for someone who works in several
(``core.org.services.credentials``). The platform audit log records it in the same transaction."""

from __future__ import annotations

from django.db import transaction

from core.base.audit import Actor
from core.org.services.credentials import person_credentials_reset
from state_admin.services.audit import StaffActor, audit_record
from tenants.models import User


@transaction.atomic
def person_credentials_reset_by_staff(*, actor: StaffActor, person: User) -> dict:
    """Platform staff reset the person's sign-in (see ``core.org.services.credentials``), logged here too."""
    done = person_credentials_reset(actor=Actor(person=actor.user, ip=actor.ip), person=person)
    audit_record(actor=actor, action="account.sign_in_reset", target=person.login_id, details=done)
    return done


def person_find(*, query: str) -> User | None:
    """The one non-staff account whose login ID or service number is exactly ``query``."""
    query = " ".join(query.replace("\x00", "").split())[:64]
    if not query:
        return None
    people = User.objects.filter(is_staff=False, is_superuser=False)
    return people.filter(login_id=query.lower()).first() or people.filter(service_number=query).first()
