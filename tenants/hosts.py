"""Host name → district, cached in each process so a warm request costs no database query.

Entries live ``HOST_CACHE_SECONDS`` (also for unknown hosts, so a flood of made-up subdomains
does not become a flood of queries). A change to a district or domain clears the cache of the
process that made it at once (signals); other processes see it within that many seconds.
"""

import copy
import threading
import time

from django.conf import settings
from django_tenants.postgresql_backend.base import FakeTenant
from django_tenants.utils import get_public_schema_name

from tenants.models import Domain

HOST_CACHE_SECONDS = 10

_lock = threading.Lock()
_entries: dict[str, tuple[float, object | None]] = {}


class StateTenant(FakeTenant):
    """The root domain: the state console, on the public schema."""

    status = "live"
    slug = ""
    name = "Karyalay"

    def __init__(self) -> None:
        super().__init__(schema_name=get_public_schema_name())

    def get_primary_domain(self):
        return None


def _load(hostname: str):
    domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
    return domain.tenant if domain else None


def district_for_host(hostname: str):
    """The District serving ``hostname``, a StateTenant for the root domain, or None."""
    if hostname == settings.ROOT_DOMAIN:
        return StateTenant()
    now = time.monotonic()
    entry = _entries.get(hostname)
    if entry is None or entry[0] < now:
        district = _load(hostname)
        with _lock:
            _entries[hostname] = (now + HOST_CACHE_SECONDS, district)
    else:
        district = entry[1]
    # A copy per request: django-tenants writes request-specific attributes onto the tenant.
    return copy.copy(district) if district is not None else None


def host_cache_clear() -> None:
    with _lock:
        _entries.clear()
