"""Reads of transfers between districts: the proposals a district must decide, made and decided,
filtered by district (None: every district's, for the state console). The writes, and the rules,
are in ``core.org.services.transfers``.
"""

from __future__ import annotations

from django.db.models import QuerySet

from tenants.models import District, TransferProposal

RECENT = 50


def _listed() -> QuerySet[TransferProposal]:
    return TransferProposal.objects.select_related("person", "from_district", "to_district")


def transfer_proposals_to_decide(*, district: District | None) -> QuerySet[TransferProposal]:
    """Pending proposals awaiting ``district``'s decision (None: every district's, for the state
    console), oldest first."""
    pending = _listed().filter(status=TransferProposal.Status.PENDING)
    if district is not None:
        pending = pending.filter(from_district=district)
    return pending.order_by("proposed_at", "pk")


def transfer_proposal_to_decide(*, district: District | None, proposal_id: int) -> TransferProposal | None:
    """One pending proposal ``district`` may decide (None: any, for the state console), or None."""
    return transfer_proposals_to_decide(district=district).filter(pk=proposal_id).first()


def transfer_proposals_made(*, district: District) -> QuerySet[TransferProposal]:
    """The proposals ``district`` made, newest first (the last ``RECENT``)."""
    return _listed().filter(to_district=district)[:RECENT]


def transfer_proposals_decided(*, district: District | None) -> QuerySet[TransferProposal]:
    """Proposals ``district`` was asked about and decided (None: all), newest first."""
    decided = _listed().exclude(status=TransferProposal.Status.PENDING)
    if district is not None:
        decided = decided.filter(from_district=district)
    return decided.order_by("-decided_at", "-pk")[:RECENT]
