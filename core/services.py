"""Writes for offices, posts and postings. One function per use case, each atomic.

Callers run these under the district's schema (a request on the district's host, or
``tenants.context.district_context``).
"""

import datetime

from django.db import connection, transaction
from django.utils import timezone

from core.models import ADMIN_OFFICE_CODE, ADMIN_POST_CODE, Office, Post, Posting
from tenants.models import District, DistrictMembership, User


@transaction.atomic
def office_create(
    *,
    code: str,
    name: str,
    name_hi: str = "",
    kind: str,
    parent: Office | None = None,
    phase: int = 1,
    status: str = Office.Status.PLANNED,
) -> Office:
    """Create an office, or return the one with this code unchanged (so seeding can be re-run)."""
    office, _created = Office.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "name_hi": name_hi,
            "kind": kind,
            "parent": parent,
            "phase": phase,
            "status": status,
        },
    )
    return office


@transaction.atomic
def post_create(*, office: Office, code: str, title: str, title_hi: str = "", kind: str) -> Post:
    """Create a post in an office, or return the one with this code unchanged."""
    post, _created = Post.objects.get_or_create(
        code=code, defaults={"office": office, "title": title, "title_hi": title_hi, "kind": kind}
    )
    return post


@transaction.atomic
def posting_start(
    *, person: User, post: Post, starts_on: datetime.date | None = None, additional_charge: bool = False
) -> Posting:
    """Post a person to a post from ``starts_on`` (today). An open posting already held is returned."""
    open_posting = Posting.objects.filter(person=person, post=post, ends_on__isnull=True).first()
    if open_posting:
        return open_posting
    posting = Posting.objects.create(
        person=person,
        post=post,
        starts_on=starts_on or timezone.localdate(),
        additional_charge=additional_charge,
    )
    _membership_sync(person_id=person.pk)
    return posting


@transaction.atomic
def posting_end(*, posting: Posting, ends_on: datetime.date | None = None) -> Posting:
    """End a posting on ``ends_on`` (today); the post, and what is marked to it, stays for the next holder."""
    if posting.ends_on is None:
        day = ends_on or timezone.localdate()
        posting.ends_on = max(day, posting.starts_on)
        posting.save(update_fields=["ends_on"])
        _membership_sync(person_id=posting.person_id)
    return posting


def _membership_sync(*, person_id: int) -> None:
    """Keep the public index of where the person holds open postings in step with this district."""
    district = District.objects.filter(schema_name=connection.schema_name).first()
    if district is None:
        return
    count = Posting.objects.filter(person_id=person_id, ends_on__isnull=True).count()
    updated = DistrictMembership.objects.filter(person_id=person_id, district=district).update(
        open_postings=count, updated_at=timezone.now()
    )
    if not updated and count:
        DistrictMembership.objects.create(person_id=person_id, district=district, open_postings=count)


@transaction.atomic
def district_seed(*, name: str, name_hi: str = "") -> Post:
    """What every new district starts with: its SP office and the district-admin post.

    Returns the district-admin post, which provisioning gives to the first district admin.
    """
    office = office_create(
        code=ADMIN_OFFICE_CODE,
        name=f"SP Office {name}",
        name_hi=f"एसपी कार्यालय {name_hi}".strip() if name_hi else "",
        kind=Office.Kind.SP_OFFICE,
        phase=1,
    )
    return post_create(
        office=office,
        code=ADMIN_POST_CODE,
        title="District Administrator (e-Office)",
        title_hi="जिला प्रशासक (ई-ऑफिस)",
        kind=Post.Kind.DISTRICT_ADMIN,
    )


@transaction.atomic
def office_go_live(*, office: Office) -> Office:
    """Mark an office live (working on e-Office from now).

    Used by the demo for phase 1 of Vaishali. The readiness checklist that gates going live
    (computers, internet, power backup, training) comes with district administration.
    """
    if office.status != Office.Status.LIVE:
        office.status = Office.Status.LIVE
        office.save(update_fields=["status"])
    return office
