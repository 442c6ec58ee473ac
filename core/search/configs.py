"""The text search configurations the index and the queries share."""

from __future__ import annotations

from django.db import connection

_config_cache: dict[str, str] = {}


def hindi_config() -> str:
    """The text search configuration for Hindi: ``hindi`` where the server has it (PostgreSQL 16+
    or a build with the Snowball Hindi stemmer), else ``simple`` (no stemming, still matches)."""
    key = connection.settings_dict.get("HOST", "") + "/" + str(connection.settings_dict.get("PORT", ""))
    if key not in _config_cache:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'hindi'")
            _config_cache[key] = "hindi" if cursor.fetchone() else "simple"
    return _config_cache[key]


__all__ = ["hindi_config"]
