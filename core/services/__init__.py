"""Writes for offices, posts and postings. One function per use case, each atomic and audited.

Callers run these under the district's schema (a request on the district's host, or
``tenants.context.district_context``). The use cases live in ``offices``, ``posts`` and
``postings``; this package exports them all, so ``core.services.office_create`` keeps working.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import ADMIN_OFFICE_CODE, ADMIN_POST_CODE, Office, Post
from core.readiness import office_readiness_gaps, readiness_item_labels
from core.services.offices import (
    office_close,
    office_create,
    office_holdings,
    office_move,
    office_parent_check,
    office_update,
)
from core.services.postings import _membership_sync, posting_end, posting_start, posting_transfer
from core.services.posts import post_close, post_create, post_holdings, post_update

__all__ = [
    "OVERRIDE_MIN_WORDS",
    "_membership_sync",
    "district_seed",
    "office_close",
    "office_create",
    "office_go_live",
    "office_holdings",
    "office_move",
    "office_parent_check",
    "office_update",
    "post_close",
    "post_create",
    "post_holdings",
    "post_update",
    "posting_end",
    "posting_start",
    "posting_transfer",
]

# An override reason must say something: "ok" or "urgent" is not a reason.
OVERRIDE_MIN_WORDS = 3


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
    post = post_create(
        office=office,
        code=ADMIN_POST_CODE,
        title="District Administrator (e-Office)",
        title_hi="जिला प्रशासक (ई-ऑफिस)",
        kind=Post.Kind.DISTRICT_ADMIN,
    )
    # Its signing authority and its offices in the public directory of letters (core.letters).
    from core.letters.seed import letters_district_seed

    letters_district_seed()
    return post


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
