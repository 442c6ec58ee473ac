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


class Site:
    """What e-mails call "the site": the district (or the state console) and its configured address."""

    def __init__(self, tenant) -> None:
        district_name = getattr(tenant, "name", "") if getattr(tenant, "slug", "") else ""
        self.name = f"Karyalay · {district_name}" if district_name else "Karyalay"
        self.domain = base_url(tenant).split("://", 1)[1]

    def __str__(self) -> str:
        return self.name
