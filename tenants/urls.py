"""Absolute URLs built from configuration and the district's primary domain, not the Host header."""

from django.conf import settings


def base_url(tenant) -> str:
    domain = None
    if getattr(tenant, "slug", ""):
        primary = tenant.get_primary_domain()
        domain = primary.domain if primary else None
    host = domain or settings.ROOT_DOMAIN
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return f"{settings.PUBLIC_SCHEME}://{host}{port}"


def absolute_url(tenant, path: str) -> str:
    return base_url(tenant) + path
