"""Text as the district stores it, for every area's services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def clean_text(value: str | None, *, field: str, required: bool = True, max_length: int | None = None) -> str:
    """Text as stored: trimmed, NUL characters refused (PostgreSQL cannot hold them)."""
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError({field: [_("This text contains a character that cannot be stored.")]})
    if required and not text:
        raise ValidationError({field: [_("This field is required.")]})
    if max_length is not None and len(text) > max_length:
        raise ValidationError({field: [_("Write at most %(n)d characters.") % {"n": max_length}]})
    return text
