"""Anchoring each district's audit chain outside its schema, so a trimmed tail is found too.

The hash chain of ``core.base.audit`` shows an edited, deleted or reordered event, but not the removal
of the newest events, nor a rewrite from some event to the end: what is left is still a valid
chain. So the head of every district's chain (the last event's id and hash, and the number of
events) is recorded here, in the public schema, every hour (``audit_anchor_all``, from a periodic
task) and on every verification (``verify_audit``), and written to the log
``karyalay.audit.anchor`` (a record outside the database as well).

Each anchor is signed with HMAC-SHA256 under a key the database does not hold
(``KARYALAY_AUDIT_ANCHOR_KEY``, else one derived from ``SECRET_KEY``): whoever can write the
database can delete anchors, but cannot make one, change one, or move an old one over a newer one
(the row's own id is signed). A check compares the chain with the last anchor whose chain held:

- the anchored event is gone and the chain now ends before it: "events after #N were removed";
- the anchored event is there with another hash, or is gone while later events remain, or the
  number of events up to it changed: the chain was rewritten up to the anchor;
- the anchor's signature does not verify: the anchor itself was tampered with.

Reads one district's schema at a time, under ``district_context``; never another district's.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.base.audit import AuditVerifyResult, audit_seal, audit_verify
from core.base.audit.witness import Witnessed
from core.base.districts import districts_visit
from core.models import AuditEvent
from state_admin.models import AuditAnchor
from tenants.context import district_context
from tenants.models import STATUSES_WITH_SCHEMA, District

logger = logging.getLogger("karyalay.audit.anchor")

Result = AuditAnchor.Result
# The results that fail a verification (GUARDS_OFF fails it through the chain's own result).
FAILED = (Result.BROKEN, Result.TRIMMED, Result.REWRITTEN, Result.ANCHOR_TAMPERED)


def _secrets() -> list[str]:
    dedicated = getattr(settings, "KARYALAY_AUDIT_ANCHOR_KEY", "")
    if dedicated:
        return [dedicated]
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _key(secret: str) -> bytes:
    # A key of its own, derived from the secret, so an anchor signature is never valid elsewhere.
    return hmac.new(secret.encode(), b"karyalay.audit.anchor", hashlib.sha256).digest()


def _payload(anchor: AuditAnchor) -> bytes:
    at = anchor.anchored_at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    fields = [
        anchor.pk,
        anchor.district_id,
        anchor.schema_name,
        anchor.event_id,
        anchor.head_hash,
        anchor.event_count,
        at,
        anchor.kind,
        anchor.result,
        anchor.problem,
    ]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()


def anchor_sign(anchor: AuditAnchor) -> str:
    """The anchor's signature under the current key (its id must be set)."""
    return hmac.new(_key(_secrets()[0]), _payload(anchor), hashlib.sha256).hexdigest()


def anchor_signature_ok(anchor: AuditAnchor) -> bool:
    """Whether the anchor's signature verifies under the current key or a fallback of SECRET_KEY."""
    payload = _payload(anchor)
    return any(
        hmac.compare_digest(hmac.new(_key(secret), payload, hashlib.sha256).hexdigest(), anchor.signature)
        for secret in _secrets()
    )


def _when(anchor: AuditAnchor) -> str:
    return anchor.anchored_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@dataclass(frozen=True)
class Finding:
    result: str
    problem: str


def anchor_compare(anchor: AuditAnchor) -> Finding | None:
    """How the current district's trail differs from ``anchor`` (None when it still holds it).

    Three small queries on the district's own table (the anchored event, the newest sealed one,
    the count of sealed events up to the anchored one); run under the district's
    ``district_context``. Unsealed events are not in the chain yet and are not compared.
    """
    when = _when(anchor)
    if anchor.schema_name != connection.schema_name or not anchor_signature_ok(anchor):
        return Finding(
            Result.ANCHOR_TAMPERED,
            f"the anchor {anchor.pk} of {when} does not carry a valid signature: "
            "the anchor itself was tampered with",
        )
    if anchor.event_id == 0:  # anchored while the trail was empty
        return None
    # The chain's order is the seal number: the anchored event was the ``event_count``-th sealed.
    sealed = AuditEvent.objects.filter(seq__isnull=False)
    anchored = sealed.filter(id=anchor.event_id).values_list("hash", "seq").first()
    if anchored is None:
        last_id, last_seq = sealed.order_by("-seq").values_list("id", "seq").first() or (0, 0)
        if last_seq < anchor.event_count:
            left = sealed.count()
            return Finding(
                Result.TRIMMED,
                f"events after #{last_id} were removed: the anchor of {when} recorded event "
                f"#{anchor.event_id} as the newest of {anchor.event_count} events; the trail now "
                f"ends at #{last_id} with {left} events",
            )
        return Finding(
            Result.REWRITTEN,
            f"event #{anchor.event_id}, the newest event when anchored at {when}, was removed",
        )
    anchored_hash, anchored_seq = anchored
    if anchored_hash != anchor.head_hash:
        return Finding(
            Result.REWRITTEN,
            f"event #{anchor.event_id} no longer has the hash anchored at {when} "
            f"({anchor.head_hash}): the chain was rewritten up to it",
        )
    up_to = sealed.filter(seq__lte=anchored_seq).count()
    if up_to != anchor.event_count or anchored_seq != anchor.event_count:
        return Finding(
            Result.REWRITTEN,
            f"the anchor of {when} counted {anchor.event_count} events up to #{anchor.event_id}; "
            f"{up_to} are there now",
        )
    return None


def anchor_last(district: District, *, trusted: bool = False) -> AuditAnchor | None:
    """The district's newest anchor (``trusted``: the newest whose chain held)."""
    anchors = AuditAnchor.objects.filter(district=district)
    if trusted:
        anchors = anchors.filter(result__in=AuditAnchor.TRUSTED)
    return anchors.order_by("-id").first()


def _outcome(finding: Finding | None, chain: AuditVerifyResult) -> Finding:
    problems = [finding.problem] if finding else []
    result = finding.result if finding else Result.OK
    if chain.bad_event_id is not None:
        problems.append(f"event #{chain.bad_event_id} does not fit the chain: {chain.problem}")
        result = result if finding else Result.BROKEN
    if chain.guards_off:
        problems.append(f"append-only triggers missing or disabled: {', '.join(chain.guards_off)}")
        result = result if result != Result.OK else Result.GUARDS_OFF
    return Finding(result, "; ".join(problems))


def _anchor_write(*, district: District, chain: AuditVerifyResult, count: int, kind: str, found: Finding):
    table = f"public.{AuditAnchor._meta.db_table}"
    with transaction.atomic():
        # The id is drawn first so that the one INSERT carries a signature covering it.
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
            (pk,) = cursor.fetchone()
        anchor = AuditAnchor(
            id=pk,
            district=district,
            schema_name=district.schema_name,
            event_id=chain.head_id,
            head_hash=chain.head_hash,
            event_count=count,
            anchored_at=timezone.now(),
            kind=kind,
            result=found.result,
            problem=found.problem,
        )
        anchor.signature = anchor_sign(anchor)
        anchor.save(force_insert=True)
    log = logger.info if found.result == Result.OK else logger.error
    log(
        "audit anchor %s: district=%s event=#%s hash=%s events=%s kind=%s result=%s signature=%s%s",
        anchor.pk,
        district.slug,
        anchor.event_id,
        anchor.head_hash,
        anchor.event_count,
        kind,
        found.result,
        anchor.signature,
        f" problem: {found.problem}" if found.problem else "",
    )
    return anchor


def audit_anchor_here(*, district: District, kind: str, full: bool) -> tuple[AuditAnchor, AuditVerifyResult]:
    """Check the current district's chain against its last anchor and anchor its head now.

    Run under the district's own ``district_context``. Seals what has committed first
    (``core.base.audit.audit_seal``), so the walk covers it. ``full`` walks the whole chain (a
    verification); otherwise only the events after the last anchor are walked, from its hash,
    unless that anchor no longer holds or the last check failed (then the whole chain is walked
    again, so a failure is found again every hour until it is dealt with). Always writes one
    anchor, whose ``result`` says what was found; only an anchor whose chain held is compared
    against later. Returns the anchor and the chain walk.
    """
    if connection.schema_name != district.schema_name:
        raise LookupError(f"audit_anchor_here for {district.slug} runs under {connection.schema_name!r}")
    # Sealing on read: what committed before this check is in the chain it walks and anchors.
    audit_seal()
    newest = anchor_last(district)
    base = anchor_last(district, trusted=True)
    finding = anchor_compare(base) if base is not None else None
    if full or base is None or finding is not None or not newest.trusted:
        chain = audit_verify()
        count = chain.count
    else:
        chain = audit_verify(after_id=base.event_id, after_hash=base.head_hash)
        count = base.event_count + chain.count
    anchor = _anchor_write(
        district=district, chain=chain, count=count, kind=kind, found=_outcome(finding, chain)
    )
    return anchor, chain


def audit_anchor_district(
    district: District, *, kind: str, full: bool
) -> tuple[AuditAnchor, AuditVerifyResult]:
    """``audit_anchor_here`` under the district's schema (for the command and the periodic task)."""
    with district_context(district.schema_name):
        return audit_anchor_here(district=district, kind=kind, full=full)


def audit_anchor_all() -> dict[str, str]:
    """Anchor every district that has a schema (planned and provisioning ones have none), each in
    its own transaction; a district that fails is logged and the others are still anchored.
    Returns {slug: result}, "error" where it failed."""

    def anchor(district: District) -> str:
        with transaction.atomic():
            anchor, _chain = audit_anchor_district(district, kind=AuditAnchor.Kind.SCHEDULED, full=False)
        return anchor.result

    return dict(
        districts_visit(
            anchor,
            failure="Anchoring the audit chain failed",
            statuses=STATUSES_WITH_SCHEMA,
            order_by="slug",
            key="slug",
            failed_as="error",
        )
    )


__all__ = [
    "FAILED",
    "Finding",
    "anchor_compare",
    "anchor_last",
    "anchor_sign",
    "anchor_signature_ok",
    "audit_anchor_all",
    "audit_anchor_district",
    "audit_anchor_here",
    "audit_witness",
]


def audit_witness() -> Witnessed:
    """The witness ``core.base.audit.witness`` calls for a district page's verification: the whole chain
    walked, compared with the last anchor and anchored, under the current district's schema."""
    district = District.objects.get(schema_name=connection.schema_name)
    anchor, chain = audit_anchor_here(district=district, kind=AuditAnchor.Kind.VERIFICATION, full=True)
    return Witnessed(
        chain=chain,
        held=anchor.result not in FAILED,
        label=anchor.get_result_display(),
        problem=anchor.problem,
        event_id=anchor.event_id,
        anchored_at=anchor.anchored_at,
    )
