"""Every write of the RTI register, one module per sub-feature: ``applications`` (enter an
application, change its particulars, record a read), ``decisions`` (the PIO's decisions and the
fee's payment), ``appeals`` (the deemed refusal and the first appeal), ``changes`` (the steps
every change shares), ``replies`` (the reply and its downloads), ``bundle`` (the reply's PDF and
zip, made in the background), ``reminders`` (the daily notices) and ``report`` (a read of the
monthly register, recorded). Each is atomic, locks the application, refuses a change its status
does not allow, and appends its audit event in the same transaction.

This package re-exports an application's use cases (enter, change, decide, appeal), the ones the
pages, the API and tests call, so ``from core.rti import services`` then ``services.rti_fee_ask``
reads as one place; the rest are imported from their module.
"""

from core.rti.services.appeals import (
    EARLIEST_DUE,
    rti_appeal_decide,
    rti_appeal_receive,
    rti_deemed_refusals_mark,
)
from core.rti.services.applications import (
    ACT_IN_FORCE,
    ADDRESS_MAX,
    NAME_MAX,
    SUBJECT_MAX,
    rti_number,
    rti_receive,
    rti_update,
    rti_view_record,
)
from core.rti.services.changes import ANSWERED, AWAITING, rti_decision_post_id
from core.rti.services.decisions import (
    FEE_MAX,
    TRANSFERRED_TO_MAX,
    rti_fee_ask,
    rti_fee_paid,
    rti_third_party_notify,
    rti_transfer,
)

__all__ = [
    "ACT_IN_FORCE",
    "ADDRESS_MAX",
    "ANSWERED",
    "AWAITING",
    "EARLIEST_DUE",
    "FEE_MAX",
    "NAME_MAX",
    "SUBJECT_MAX",
    "TRANSFERRED_TO_MAX",
    "rti_appeal_decide",
    "rti_appeal_receive",
    "rti_decision_post_id",
    "rti_deemed_refusals_mark",
    "rti_fee_ask",
    "rti_fee_paid",
    "rti_number",
    "rti_receive",
    "rti_third_party_notify",
    "rti_transfer",
    "rti_update",
    "rti_view_record",
]
