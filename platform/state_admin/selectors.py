from django.db.models import QuerySet

from tenants.models import District


def district_list() -> QuerySet[District]:
    return District.objects.prefetch_related("domains").order_by("range_name", "name")
