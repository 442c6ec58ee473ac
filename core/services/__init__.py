"""Writes for offices, posts and postings. One function per use case, each atomic and audited.

Callers run these under the district's schema (a request on the district's host, or
``tenants.context.district_context``). The use cases live in ``offices``, ``posts`` and
``postings``; this package exports them all, so ``core.services.office_create`` keeps working.
"""

from django.db import transaction

from core.models import ADMIN_OFFICE_CODE, ADMIN_POST_CODE, Office, Post
from core.services.go_live import OVERRIDE_MIN_WORDS, office_go_live
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
