"""The state console's reads of the audit anchors (public schema only: no district is visited)."""

from collections.abc import Iterable

from state_admin.models import AuditAnchor
from state_admin.services.audit_anchor import anchor_signature_ok
from tenants.models import District


def _checked(anchor: AuditAnchor) -> AuditAnchor:
    anchor.signature_ok = anchor_signature_ok(anchor)
    return anchor


def audit_anchor_latest(districts: Iterable[District]) -> dict[int, AuditAnchor]:
    """Each district's newest anchor by district id (one query), its signature checked
    (``signature_ok``): an anchor that does not verify is shown as tampered with."""
    ids = [district.pk for district in districts]
    anchors = (
        AuditAnchor.objects.filter(district_id__in=ids).order_by("district_id", "-id").distinct("district_id")
    )
    return {anchor.district_id: _checked(anchor) for anchor in anchors}


def audit_anchor_list(district: District, *, limit: int = 10) -> list[AuditAnchor]:
    """The district's newest anchors, newest first, each with ``signature_ok``."""
    return [
        _checked(anchor) for anchor in AuditAnchor.objects.filter(district=district).order_by("-id")[:limit]
    ]
