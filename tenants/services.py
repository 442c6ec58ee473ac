"""Writes for global accounts."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tenants.models import PoliceRange, User

LOGIN_ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{2,63}")


@transaction.atomic
def person_get_or_create(
    *,
    login_id: str,
    full_name: str,
    full_name_hi: str = "",
    email: str = "",
    password: str | None = None,
    is_staff: bool = False,
    must_set_password: bool | None = None,
) -> tuple[User, bool]:
    """Return the account with this login ID, creating it if needed.

    A new account made without a password has none usable and must set its own through a reset
    link; one made with a temporary password must replace it at first sign-in
    (``must_set_password``, on unless said otherwise, as for the local demo). An existing account
    is returned unchanged.
    """
    login_id = login_id.strip().lower()
    if not LOGIN_ID_PATTERN.fullmatch(login_id):
        raise ValidationError(
            {
                "login_id": [
                    _("A login ID has 3 to 64 lowercase letters, digits, dots, hyphens or underscores.")
                ]
            }
        )
    existing = User.objects.filter(login_id=login_id).first()
    if existing:
        return existing, False
    user = User.objects.create_user(
        login_id,
        password,
        email=email,
        full_name=full_name,
        full_name_hi=full_name_hi,
        is_staff=is_staff,
        must_set_password=True if must_set_password is None else must_set_password,
    )
    return user, True


@transaction.atomic
def police_range_get_or_create(*, name: str, name_hi: str = "") -> PoliceRange:
    """The range with this name (case as first given), made if new; a Hindi name fills a blank one."""
    name = name.strip()
    police_range = PoliceRange.objects.filter(name__iexact=name).first()
    if police_range is None:
        return PoliceRange.objects.create(name=name, name_hi=name_hi.strip())
    if name_hi.strip() and not police_range.name_hi:
        police_range.name_hi = name_hi.strip()
        police_range.save(update_fields=["name_hi"])
    return police_range
