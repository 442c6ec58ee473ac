"""Platform staff's own tokens for the state API: made only with a fresh code from the person's
authenticator app (TOTP), audited in the state's log; staff list and revoke every token of every
district too (a district's own chain keeps its people's events)."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from state_admin.services.audit import StaffActor, audit_record
from tenants.api_tokens import api_token_create, api_token_revoke
from tenants.models import ApiToken


def _totp_ok(user, code: str) -> bool:
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return authenticator is not None and TOTP(authenticator).validate_code((code or "").strip())


@transaction.atomic
def staff_token_create(
    *, actor: StaffActor, name: str, scope: str, days: int, code: str
) -> tuple[ApiToken, str]:
    """A state-console token for a member of the platform staff, after a valid TOTP code."""
    if not actor.user.is_staff:
        raise ValidationError(_("Only platform staff may make a token for the state console."))
    if not _totp_ok(actor.user, code):
        raise ValidationError({"code": _("The code from the authenticator app is not right.")})
    token, raw = api_token_create(person=actor.user, district=None, name=name, scope=scope, days=days)
    audit_record(
        actor=actor,
        action="api_token.create",
        target=f"{token.name} ({token.prefix}…)",
        details={"scope": token.scope, "expires_at": token.expires_at.isoformat()},
    )
    return token, raw


@transaction.atomic
def staff_token_revoke(*, actor: StaffActor, token: ApiToken) -> bool:
    """Revoke any token (platform staff)."""
    revoked = api_token_revoke(token=token, by=actor.user)
    if revoked:
        audit_record(
            actor=actor,
            action="api_token.revoke",
            district=token.district,
            target=f"{token.name} ({token.prefix}…) of {token.person.login_id}",
        )
    return revoked
