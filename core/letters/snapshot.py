"""The snapshot of a file sent up for supervision, as it travels and as the receiver keeps it.

A receiving tenant stores only the keys named here, as text: whatever else a message carried
(a forged or newer sender) is dropped, so the page shows nothing beyond the file."""

from __future__ import annotations

import datetime

from core.models import Movement

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


def snapshot_for_page(snapshot: dict) -> dict:
    """The stored snapshot as its page shows it: times as datetimes (shown in the reader's
    language and time zone; ``at_text`` keeps what came when it is not a time) and a movement's
    action by its label here, in the reader's language."""
    if not snapshot:
        return {}
    actions = dict(Movement.Action.choices)
    page = dict(snapshot)
    for key in ("notes", "track"):
        rows = []
        for row in snapshot.get(key, []):
            row = dict(row, at_text=row.get("at", ""), at=_time(row.get("at", "")))
            if key == "track":
                row["action"] = actions.get(row.get("action", ""), row.get("action", ""))
            rows.append(row)
        page[key] = rows
    return page


def _time(text: str):
    try:
        return datetime.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
