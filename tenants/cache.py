"""Cache keys: a district's entries carry its schema; a person's sign-in counters carry none.

django-tenants' key function puts the schema the key was made under in front of every key, so two
districts never share an entry. Sign-in limits are the exception: an account and an address are
the same on every host, and a count kept per schema gave an attacker a fresh allowance on every
live district and on the state console. allauth's rate-limit keys (``allauth:rl:…``, with their
locks) are therefore kept under one scope that no schema name can produce (slugs never start
with ``_``).
"""

from django_tenants.cache import make_key as district_make_key
from django_tenants.cache import reverse_key  # noqa: F401 (settings name it from here)

GLOBAL_SCOPE = "_global"
GLOBAL_KEY_PREFIXES = ("allauth:rl:",)


def make_key(key: str, key_prefix: str, version: int) -> str:
    if key.startswith(GLOBAL_KEY_PREFIXES):
        return f"{GLOBAL_SCOPE}:{key_prefix}:{version}:{key}"
    return district_make_key(key, key_prefix, version)
