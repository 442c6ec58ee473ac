"""District slugs and the schema names derived from them.

A slug is a DNS label, because it becomes the district's subdomain: Django refuses host names
with ``_`` and django-tenants turns such a refusal into a silent 404, so the rules are checked
here, with a clear message, before any SQL runs.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SLUG_MAX_LENGTH = 40
SLUG_PATTERN = re.compile(r"[a-z][a-z0-9-]*")
RESERVED_SLUGS = frozenset(
    {
        "www", "admin", "api", "public", "static", "media", "mail", "smtp", "ftp", "localhost",
        "state", "karyalay", "test", "template", "information_schema",
    }
)  # fmt: skip


def schema_name_for(slug: str) -> str:
    """The PostgreSQL schema of the district with this slug: hyphens become underscores."""
    return slug.replace("-", "_").lower()


def slug_validate(slug: str) -> str:
    """Return the slug if it may name a new district, else raise ValidationError with the reason."""
    if not slug:
        raise ValidationError(_("Give the district a slug, e.g. “vaishali”."), code="required")
    if len(slug) > SLUG_MAX_LENGTH:
        raise ValidationError(
            _("The slug may have at most %(max)d characters."),
            code="too_long",
            params={"max": SLUG_MAX_LENGTH},
        )
    if not SLUG_PATTERN.fullmatch(slug):
        raise ValidationError(
            _(
                "The slug becomes the district's web address, so it may hold only lowercase English "
                "letters, digits and hyphens, and must start with a letter (e.g. “east-champaran”)."
            ),
            code="invalid",
        )
    if slug.endswith("-") or "--" in slug:
        raise ValidationError(
            _("The slug may not end with a hyphen or hold two hyphens in a row."), code="invalid"
        )
    if slug in RESERVED_SLUGS or slug.startswith("pg-") or schema_name_for(slug).startswith("pg_"):
        raise ValidationError(
            _("“%(slug)s” is reserved by the platform; choose another slug."),
            code="reserved",
            params={"slug": slug},
        )
    return slug
