"""Who may declare outages, and which outages a person sees (the one lookup every page uses)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.base.holders import posting_active_list
from core.models import Outage, Post

# The posts that may declare and end an outage: the district's e-Office admin and the SP.
MANAGERS = frozenset({Post.Kind.DISTRICT_ADMIN, Post.Kind.SP})


def manager_post(person) -> Post | None:
    """The post (district admin's first, then SP) from which ``person`` may declare outages today."""
    if person is None or not person.is_authenticated:
        return None
    postings = [p for p in posting_active_list(person_id=person.pk) if p.post.kind in MANAGERS]
    postings.sort(key=lambda p: (p.post.kind != Post.Kind.DISTRICT_ADMIN, p.post_id))
    return postings[0].post if postings else None


def office_ids_of(person) -> frozenset[int]:
    """The offices where ``person`` holds a post today."""
    if person is None or not person.is_authenticated:
        return frozenset()
    return frozenset(posting_active_list(person_id=person.pk).values_list("post__office_id", flat=True))


def outages_visible(person) -> QuerySet[Outage]:
    """Every outage for a manager; for an officer those covering an office where they hold a post
    (their own office's, and the district's); nothing without a posting."""
    if manager_post(person) is not None:
        return Outage.objects.all()
    offices = office_ids_of(person)
    if not offices:
        return Outage.objects.none()
    return Outage.objects.filter(Q(office__isnull=True) | Q(office_id__in=offices))


def outage_for(person, outage_id) -> Outage | None:
    """The outage if ``person`` may see it, else None (the views answer 404)."""
    try:
        outage_id = int(outage_id)
    except (TypeError, ValueError):
        return None
    return outages_visible(person).select_related("office").filter(pk=outage_id).first()
