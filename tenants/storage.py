"""Where a district's files live on disk: one folder per district, named by its schema.

Later issues store uploads under ``district_media_dir``; the state console's export packs the
whole folder and the delete command removes it. Nothing under it is served directly: files go
out only through views that check permission.
"""

import re
from pathlib import Path

from django.conf import settings

_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def district_media_dir(schema_name: str) -> Path:
    """``MEDIA_ROOT/districts/<schema_name>``: the district's file storage root (not created here)."""
    if not _SCHEMA_NAME.fullmatch(schema_name or "") or schema_name == "public":
        raise ValueError(f"Not a district schema name: {schema_name!r}")
    return Path(settings.MEDIA_ROOT) / "districts" / schema_name
