from django.conf import settings


def district(request) -> dict:
    """The district (or the state console) that the page belongs to, for the layout."""
    tenant = getattr(request, "tenant", None)
    is_district = tenant is not None and bool(getattr(tenant, "slug", ""))
    return {
        "district": tenant if is_district else None,
        "on_state_console": tenant is not None and not is_district,
        "root_domain": settings.ROOT_DOMAIN,
    }
