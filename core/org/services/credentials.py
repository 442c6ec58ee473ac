"""A person's sign-in credentials (password, authenticator) are account-wide: they serve every
district the person works in. A district admin resets them only for someone who works in that
district alone (``core.org.services.officers.officer_access_reset``); for anyone else the person
resets their own password (the "forgot password" link) and authenticator, or platform staff do it
from the state console with ``person_credentials_reset``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from core.base.audit import Actor, audit_append
from core.org.services.officers import password_link_send, sessions_end
from core.org.services.transfers import districts_in_force
from tenants.context import district_context
from tenants.models import User


@transaction.atomic
def person_credentials_reset(*, actor: Actor, person: User) -> dict:
    """Remove the person's authenticator (TOTP and recovery codes), end their sessions in every
    district where they hold a posting in force, and e-mail a set-password link on the first such
    district's host once the transaction commits. Each of those districts' trails records it.

    Platform staff only, on the state console (the public schema); platform staff accounts are
    refused (the state IT department manages them another way). Returns what was done.
    """
    from allauth.mfa.models import Authenticator

    if (
        connection.schema_name != get_public_schema_name()
        or actor.person is None
        or not actor.person.is_staff
    ):
        raise PermissionDenied
    if person.is_staff or person.is_superuser:
        raise ValidationError(_("Platform staff accounts are not reset here."))
    if person.pk == actor.person.pk:
        raise ValidationError(_("You cannot do this to your own account; ask another administrator."))
    districts = districts_in_force(person=person, on=timezone.localdate(), here=None)
    removed = Authenticator.objects.filter(
        user=person, type__in=(Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES)
    ).delete()[0]
    there = Actor(person=actor.person, ip=actor.ip)
    ended: dict[str, int] = {}
    for district in districts:
        with district_context(district.schema_name):
            ended[district.slug] = sessions_end(person=person)
            audit_append(
                actor=there,
                action="officer.access_reset",
                target=person,
                summary=person.login_id,
                details={
                    "login_id": person.login_id,
                    "by_state_console": True,
                    "sessions_ended": ended[district.slug],
                    "authenticators_removed": removed,
                },
            )
    link_sent = bool(person.email and districts)
    if link_sent:
        first = districts[0]
        transaction.on_commit(lambda: password_link_send(person=person, district=first))
    return {"districts": sorted(ended), "authenticators_removed": removed, "link_sent": link_sent}


__all__ = ["person_credentials_reset"]
