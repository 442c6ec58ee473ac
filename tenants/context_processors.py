from django.conf import settings


def district(request) -> dict:
    tenant = getattr(request, "tenant", None)
    is_district = tenant is not None and getattr(tenant, "slug", "")
    return {
        "district": tenant if is_district else None,
        "root_domain": settings.ROOT_DOMAIN,
    }
