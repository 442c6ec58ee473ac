"""Personal access tokens on a district's host: made, listed and revoked by their person; the
district admin lists and revokes every token of the district. Each change is an event in the
district's audit chain, in the same transaction (``tenants.api_tokens`` keeps the rows)."""

from __future__ import annotations

from django.db import transaction

from core.base.audit import Actor, audit_append
from tenants.api_tokens import api_token_create, api_token_revoke, api_tokens_of, api_tokens_of_district
from tenants.models import ApiToken, District, User


@transaction.atomic
def district_token_create(
    *, actor: Actor, district: District, name: str, scope: str, days: int
) -> tuple[ApiToken, str]:
    """A token for ``actor.person`` on this district's host. The caller (the page) is on that host,
    which the access gate lets the person use only while they hold a posting here."""
    token, raw = api_token_create(person=actor.person, district=district, name=name, scope=scope, days=days)
    audit_append(
        actor=actor,
        action="api_token.create",
        target_type="api_token",
        target_id=str(token.pk),
        summary=f"{token.name} ({token.prefix}…)",
        details={"scope": token.scope, "expires_at": token.expires_at.isoformat()},
    )
    return token, raw


def district_tokens_visible(*, person: User, district: District, is_admin: bool):
    """The tokens the person may see and revoke here: their own, or every one for the admin."""
    if is_admin:
        return api_tokens_of_district(district=district)
    return api_tokens_of(person=person, district=district)


@transaction.atomic
def district_token_revoke(*, actor: Actor, token: ApiToken) -> bool:
    """Revoke a token found through ``district_tokens_visible``; audited when it was live."""
    revoked = api_token_revoke(token=token, by=actor.person)
    if revoked:
        audit_append(
            actor=actor,
            action="api_token.revoke",
            target_type="api_token",
            target_id=str(token.pk),
            summary=f"{token.name} ({token.prefix}…) of {token.person.login_id}",
        )
    return revoked
