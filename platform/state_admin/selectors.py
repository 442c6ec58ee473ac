from django.db.models import QuerySet

from tenants.models import District


def district_list() -> QuerySet[District]:
    return (
        District.objects.select_related("police_range")
        .prefetch_related("domains")
        .order_by("police_range__name", "name")
    )
