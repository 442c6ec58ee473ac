"""The audit chain's witness outside the district.

A trimmed tail leaves a valid chain, so a check inside the district cannot see it: the state
console keeps each district's chain head, signed, in the public schema
(``state_admin.services.audit_anchor``) and registers here the check that compares the chain with
it. ``core`` may not import the console, so the console registers itself when Django starts;
without a witness (a bare ``core``) the chain alone is checked.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from core.base.audit import AuditVerifyResult, audit_seal, audit_verify


@dataclass(frozen=True)
class Witnessed:
    """A verification of the current district's chain, and what its witness said.

    ``held`` is False when the chain does not match its last anchor (or the anchor is forged);
    ``label`` says so in the reader's language, ``problem`` in technical English.
    """

    chain: AuditVerifyResult
    held: bool = True
    label: str = ""
    problem: str = ""
    event_id: int = 0
    anchored_at: datetime.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.chain.ok and self.held


_witness: Callable[[], Witnessed] | None = None


def audit_witness_register(witness: Callable[[], Witnessed]) -> None:
    """Called once, by the state console's app config."""
    global _witness
    _witness = witness


def audit_verify_witnessed() -> Witnessed:
    """Seal what has committed, verify the current district's whole chain and have the witness
    compare and anchor it.
    Run under the district's schema (a district request, or ``district_context``)."""
    if _witness is None:
        audit_seal()
        return Witnessed(chain=audit_verify())
    return _witness()


__all__ = ["Witnessed", "audit_verify_witnessed", "audit_witness_register"]
