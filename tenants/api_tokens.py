"""Personal access tokens of the REST API (issue 20): make, find, record use, revoke.

A token is ``kya_`` and 43 URL-safe characters (256 random bits); only its SHA-256 is stored,
so the database never holds a usable token. Tokens are made by their person (``api_token_create``)
for one district, or, for platform staff, for the state console (``district`` None); the callers
(the profile pages) check the person may work there and write the district's audit event.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.models import ApiToken, District, User

PREFIX = "kya_"
DAYS_MAX = 90
NAME_MAX = 80
# A token's last use is written at most this often: one UPDATE a minute, not one a request.
LAST_USE_EVERY = datetime.timedelta(minutes=1)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, person: User, district: District | None, name: str, scope: str, days: int
) -> tuple[ApiToken, str]:
    """A new token and its text, which is shown once and never kept. ``days``: 1 to 90."""
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise ValidationError(_("Give the token a name of at most %(n)d characters.") % {"n": NAME_MAX})
    if scope not in ApiToken.Scope.values:
        raise ValidationError(_("Choose read or read-write."))
    if not isinstance(days, int) or not 1 <= days <= DAYS_MAX:
        raise ValidationError(_("A token lasts from 1 to %(n)d days.") % {"n": DAYS_MAX})
    if district is None and not person.is_staff:
        raise ValidationError(_("Only platform staff may make a token for the state console."))
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=person,
        district=district,
        name=name,
        scope=scope,
        prefix=raw[: len(PREFIX) + 4],
        digest=token_digest(raw),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return token, raw


def api_token_find(raw: str) -> ApiToken | None:
    """The token whose text is ``raw``, with its person and district, whatever its state (the
    caller refuses revoked, expired or wrong-host ones); None for anything else."""
    if not raw or not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    return ApiToken.objects.select_related("person", "district").filter(digest=token_digest(raw)).first()


def api_token_used(*, token: ApiToken) -> None:
    """Record the token's use (at most once a minute per token)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def api_token_revoke(*, token: ApiToken, by: User) -> bool:
    """Revoke the token; False if it was revoked already. Who may revoke (the person, their district
    admin, platform staff) is checked by the caller, which names the token through
    ``api_tokens_of`` or its district's list."""
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    return bool(updated)


def api_tokens_of(*, person: User, district: District | None):
    """The person's tokens for one district (or the state console), newest first."""
    return ApiToken.objects.filter(person=person, district=district)


def api_tokens_of_district(*, district: District):
    """Every token made for a district, for its admin's list."""
    return ApiToken.objects.filter(district=district).select_related("person")
