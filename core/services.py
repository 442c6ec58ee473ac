"""Writes for offices, posts and postings. One function per use case, each atomic.

Callers run these under the district's schema (a request on the district's host, or
``tenants.context.district_context``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import ADMIN_OFFICE_CODE, ADMIN_POST_CODE, Office, Post, Posting
from core.posting_bulk import memberships_sync_bulk
from core.readiness import office_readiness_gaps, readiness_item_labels
from tenants.models import User

# An override reason must say something: "ok" or "urgent" is not a reason.
OVERRIDE_MIN_WORDS = 3


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
    memberships_sync_bulk(person_ids={person_id})


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
def office_go_live(*, office: Office, override_reason: str = "", on: datetime.date | None = None) -> Office:
    """Take an office live (working on e-Office from ``on``, today by default).

    Refuses, with the missing items named, an office whose readiness checklist is incomplete,
    unless platform staff give a written ``override_reason`` (a few words at least), which is
    kept in ``Office.go_live_override``. A live office is returned unchanged. Callers audit the
    action; run under the office's district schema.
    """
    locked = Office.objects.select_for_update().get(pk=office.pk)
    if locked.status == Office.Status.LIVE:
        return locked
    reason = " ".join(override_reason.split())
    if override_reason and len(reason.split()) < OVERRIDE_MIN_WORDS:
        raise ValidationError(
            {
                "override_reason": [
                    _("Write the reason for going live without a complete checklist in a few words.")
                ]
            }
        )
    gaps = office_readiness_gaps(locked)
    if gaps and not reason:
        raise ValidationError(
            _("%(office)s is not ready to go live; missing: %(items)s.")
            % {"office": locked.name or locked.code, "items": ", ".join(readiness_item_labels(gaps))},
            code="not_ready",
        )
    locked.status = Office.Status.LIVE
    locked.went_live_on = on or timezone.localdate()
    locked.go_live_override = reason
    locked.save(update_fields=["status", "went_live_on", "go_live_override"])
    office.status, office.went_live_on, office.go_live_override = (
        locked.status,
        locked.went_live_on,
        locked.go_live_override,
    )
    return locked
