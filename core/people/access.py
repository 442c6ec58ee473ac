"""Who appears in the staff directory, and who may open it: THE rule for the card and the search's
"Officers" kind, so the two cannot disagree.

- the directory lists the people holding a posting in this district today (additional charges
  included); a person whose postings here have ended, or have not begun, is not in it, even for a
  colleague: their card is not this district's;
- anyone who holds a posting here today may open it (officers look each other up). Nobody else
  reaches a district's pages anyway: the access gate refuses a person with no posting here (403),
  and the card answers 404 to the anonymous, as every page that names a record does.

What the card shows is public within the district: names, service number, rank and posts. Login
IDs, e-mail addresses and mobile numbers are not shown (they sign in or reset access).
"""

from __future__ import annotations

from django.db.models import QuerySet

from core.base.access import Viewer, id_or_none
from core.org.selectors.postings import posting_in_force_list
from tenants.models import User


def people_posted_ids() -> QuerySet:
    """The ids of the people posted in this district today, as a subquery."""
    return posting_in_force_list().values("person_id")


def people_visible(viewer: Viewer) -> QuerySet[User]:
    """The people whose cards the viewer may open: everybody posted here today, for a viewer who is
    posted here themselves; nobody for anyone else."""
    if not viewer.sees_anything:
        return User.objects.none()
    return User.objects.filter(pk__in=people_posted_ids())


def person_for(viewer: Viewer, person_id) -> User | None:
    """The person if the viewer may open their card, else None (views answer 404 either way)."""
    person_id = id_or_none(person_id)
    if person_id is None:
        return None
    return people_visible(viewer).filter(pk=person_id).first()


def person_view_post_id(viewer: Viewer) -> int | None:
    """The post the viewer reads the directory as, for the audit trail: any of their posts gives
    sight of it, so the lowest id, for a stable record."""
    return min(viewer.post_ids, default=None)


__all__ = ["people_posted_ids", "people_visible", "person_for", "person_view_post_id"]
