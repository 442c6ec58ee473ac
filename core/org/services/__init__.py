"""Every write of the organisation: one module per use case group, each function atomic and audited.

``offices``, ``posts``, ``postings`` (the structure), ``go_live`` (an office starts on e-Office),
``seed`` (a new district's first office and post), ``readiness`` (the go-live checklist),
``training``, ``officers`` (add, deactivate, reactivate), ``transfers`` (between districts),
``office_setup`` (a district's offices from a template), ``posting_bulk`` (the officer
import's bulk postings) and ``credentials`` (platform staff reset a person's sign-in, from the
state console across the person's districts). The others' callers run them under the district's
schema (a request on the district's host, or ``tenants.context.district_context``).

This package re-exports the structure's services (offices, posts, postings, go-live, seed), the
ones other areas, provisioning and tests call most, so ``from core.org import services`` then
``services.office_create(...)`` reads as one place; the rest are imported from their module.
"""

from core.org.services.go_live import OVERRIDE_MIN_WORDS, office_go_live
from core.org.services.offices import (
    office_close,
    office_create,
    office_holdings,
    office_move,
    office_parent_check,
    office_update,
)
from core.org.services.postings import _membership_sync, posting_end, posting_start, posting_transfer
from core.org.services.posts import post_close, post_create, post_holdings, post_update
from core.org.services.seed import district_seed

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
