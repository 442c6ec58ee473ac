"""The snapshot of a file sent up for supervision, as it travels and as the receiver keeps it.

A receiving tenant stores only the keys named here, as text: whatever else a message carried
(a forged or newer sender) is dropped, so the page shows nothing beyond the file."""

from __future__ import annotations

TEXT_KEYS = ("number", "subject", "office", "category", "priority", "opened", "remarks")
ROW_KEYS = {
    "notes": ("seq", "body", "post", "at"),
    "track": ("action", "from", "to", "at", "remarks"),
    "papers": ("title", "name"),
}


def snapshot_clean(value) -> dict:
    """A snapshot as a receiving district stores it: only the known keys, text only; {} for a
    letter that carries none."""
    if not isinstance(value, dict) or not value:
        return {}
    clean = {key: str(value.get(key, ""))[:2000] for key in TEXT_KEYS}
    for key, fields in ROW_KEYS.items():
        rows = value.get(key)
        clean[key] = [
            {field: str(row.get(field, ""))[:20000] for field in fields}
            for row in (rows if isinstance(rows, list) else [])[:2000]
            if isinstance(row, dict)
        ]
    return clean
