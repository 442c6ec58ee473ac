"""Postings in bulk, for imports: the rules of ``core.org.services.posting_start`` / ``posting_end`` in a
few queries for many people.

Like those services, callers run these under the district's schema, and the public
``DistrictMembership`` index is kept in step in the same transaction.
"""

import datetime
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from core.letters.certificates import certificates_revoke_pairs
from core.models import Posting
from tenants.models import District, DistrictMembership


@transaction.atomic
def postings_start_bulk(*, pairs: Iterable[tuple[int, int]], starts_on: datetime.date) -> int:
    """Open a posting from ``starts_on`` for each (person id, post id) not already held open.

    Returns how many postings were opened; pairs already held are left as they are.
    """
    pairs = set(pairs)
    if not pairs:
        return 0
    person_ids = {person_id for person_id, _post_id in pairs}
    held = set(
        Posting.objects.filter(person_id__in=person_ids, ends_on__isnull=True).values_list(
            "person_id", "post_id"
        )
    )
    new = [
        Posting(person_id=person_id, post_id=post_id, starts_on=starts_on)
        for person_id, post_id in sorted(pairs - held)
    ]
    Posting.objects.bulk_create(new)
    memberships_sync_bulk(person_ids=person_ids)
    return len(new)


@transaction.atomic
def postings_end_bulk(*, person_ids: Iterable[int], ends_on: datetime.date) -> int:
    """End every open posting of these people in this district on ``ends_on`` (never before it began).

    Returns how many postings were ended; the posts stay for the next holders.
    """
    person_ids = set(person_ids)
    if not person_ids:
        return 0
    open_postings = Posting.objects.filter(person_id__in=person_ids, ends_on__isnull=True)
    pairs = set(open_postings.values_list("person_id", "post_id"))
    ended = open_postings.update(ends_on=Greatest(Value(ends_on), F("starts_on")))
    memberships_sync_bulk(person_ids=person_ids)
    # As ``posting_end`` does: an officer whose posting ended signs as that post no more.

    certificates_revoke_pairs(pairs=pairs, reason="posting ended")
    return ended


def memberships_sync_bulk(*, person_ids: set[int]) -> None:
    """Set each person's count of open postings in this district in the public index."""
    district = District.objects.filter(schema_name=connection.schema_name).first()
    if district is None or not person_ids:
        return
    counts = dict(
        Posting.objects.filter(person_id__in=person_ids, ends_on__isnull=True)
        .values("person_id")
        .annotate(n=Count("id"))
        .values_list("person_id", "n")
    )
    now = timezone.now()
    DistrictMembership.objects.filter(district=district, person_id__in=person_ids - counts.keys()).update(
        open_postings=0, updated_at=now
    )
    DistrictMembership.objects.bulk_create(
        [
            DistrictMembership(person_id=person_id, district=district, open_postings=n, updated_at=now)
            for person_id, n in sorted(counts.items())
        ],
        update_conflicts=True,
        unique_fields=["person", "district"],
        update_fields=["open_postings", "updated_at"],
    )
