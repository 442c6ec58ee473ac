"""Transfer proposals decided on the state console: platform staff confirm or decline what one
district proposed about another's officer (``core.org.services.transfers`` does the work in both districts'
trails); the platform audit log records the decision in the same transaction."""

from __future__ import annotations

import datetime

from django.db import transaction

from core.base.audit import Actor
from core.org.services import transfers
from state_admin.services.audit import StaffActor, audit_record
from tenants.models import TransferProposal


def _as_district_actor(actor: StaffActor) -> Actor:
    return Actor(person=actor.user, ip=actor.ip)


@transaction.atomic
def transfer_confirm_by_staff(
    *, actor: StaffActor, proposal_id: int, moved_on: datetime.date
) -> TransferProposal:
    """Confirm a pending proposal as platform staff (see ``core.org.services.transfers.transfer_confirm``)."""
    proposal = transfers.transfer_confirm(
        actor=_as_district_actor(actor), proposal_id=proposal_id, moved_on=moved_on
    )
    audit_record(
        actor=actor,
        action="transfer.confirm",
        district=proposal.from_district,
        target=proposal.person.login_id,
        details={
            "proposal": proposal.pk,
            "to_district": proposal.to_district.slug,
            "to_post": proposal.to_post_title,
            "moved_on": moved_on.isoformat(),
        },
    )
    return proposal


@transaction.atomic
def transfer_decline_by_staff(*, actor: StaffActor, proposal_id: int, remarks: str = "") -> TransferProposal:
    """Decline a pending proposal as platform staff; nothing changes in either district."""
    proposal = transfers.transfer_decline(
        actor=_as_district_actor(actor), proposal_id=proposal_id, remarks=remarks
    )
    audit_record(
        actor=actor,
        action="transfer.decline",
        district=proposal.from_district,
        target=proposal.person.login_id,
        details={
            "proposal": proposal.pk,
            "to_district": proposal.to_district.slug,
            "remarks": proposal.remarks,
        },
    )
    return proposal
