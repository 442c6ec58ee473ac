"""Reads of the state console. Lists read the public schema only (districts, rollups, targets);
one district's detail page may read that district's schema, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet

from core.models import Office, Post, Posting
from core.org.selectors.postings import officers_posted_count
from core.org.selectors.readiness import offices_readiness_gaps, readiness_item_labels
from state_admin.models import AuditEvent, PhaseTarget
from tenants.context import district_context
from tenants.models import District, PoliceRange, police_district_q

# The district list's kind filter: every tenant (labelled), police districts only, or range
# offices and headquarters only.
KIND_ALL, KIND_DISTRICTS, KIND_SUPERVISING = "", "districts", "supervising"


def district_list(
    *, police_range: PoliceRange | None = None, status: str = "", kind: str = KIND_ALL
) -> QuerySet[District]:
    """Districts with their range, domains, rollup figures and phase targets (a fixed number of
    queries). Every tenant by default, range offices and headquarters among them (the list
    labels them: the department manages them too); ``kind`` narrows to the police districts
    (``KIND_DISTRICTS``) or to the supervising offices (``KIND_SUPERVISING``)."""
    districts = (
        District.objects.select_related("police_range", "rollup")
        .prefetch_related(
            "domains",
            Prefetch(
                "phase_targets",
                queryset=PhaseTarget.objects.select_related("phase").order_by("target_on"),
            ),
        )
        .order_by("police_range__name", "name")
    )
    if police_range is not None:
        districts = districts.filter(police_range=police_range)
    if status:
        districts = districts.filter(status=status)
    if kind == KIND_DISTRICTS:
        districts = districts.police_districts()
    elif kind == KIND_SUPERVISING:
        districts = districts.supervising_offices()
    return districts


def police_range_list() -> QuerySet[PoliceRange]:
    """Ranges with their number of police districts (a range's own office is not one)."""
    return PoliceRange.objects.annotate(
        district_count=Count("districts", filter=police_district_q("districts__"))
    ).order_by("name")


def district_get(*, slug: str) -> District:
    return District.objects.select_related("police_range").prefetch_related("domains").get(slug=slug)


@dataclass
class OfficeRow:
    office: Office
    gaps: list[str] = field(default_factory=list)


@dataclass
class DistrictInside:
    """What the detail page shows from inside one district's schema."""

    admins: list[Posting]
    offices_by_phase: dict[int, list[OfficeRow]]
    officers_posted: int


def district_inside(district: District) -> DistrictInside | None:
    """Admins, offices by phase with their readiness gaps, and posted officers: one district only.

    None for a district that has no schema yet (planned or provisioning).
    """
    if not district.has_schema:
        return None
    with district_context(district.schema_name):
        admins = list(
            Posting.objects.filter(post__kind=Post.Kind.DISTRICT_ADMIN, ends_on__isnull=True)
            .select_related("person", "post")
            .order_by("starts_on")
        )
        offices = list(Office.objects.select_related("parent").order_by("phase", "kind", "name"))
        gaps = offices_readiness_gaps([office for office in offices if office.status != Office.Status.LIVE])
        offices_by_phase: dict[int, list[OfficeRow]] = {}
        for office in offices:
            offices_by_phase.setdefault(office.phase, []).append(
                OfficeRow(office=office, gaps=readiness_item_labels(gaps.get(office.pk, [])))
            )
        officers_posted = officers_posted_count()
    return DistrictInside(admins=admins, offices_by_phase=offices_by_phase, officers_posted=officers_posted)


def audit_event_list(
    *,
    q: str = "",
    district_slug: str = "",
    action: str = "",
    actor_login: str = "",
    since=None,
    until=None,
) -> QuerySet[AuditEvent]:
    """Audit events, newest first, narrowed by the given filters (all optional)."""
    from django.db.models import Q

    events = AuditEvent.objects.all()
    if q:
        events = events.filter(
            Q(actor_login__icontains=q)
            | Q(action__icontains=q)
            | Q(target__icontains=q)
            | Q(district_slug__icontains=q)
            | Q(details__icontains=q)
        )
    if district_slug:
        events = events.filter(district_slug=district_slug)
    if action:
        events = events.filter(action__startswith=action)
    if actor_login:
        events = events.filter(actor_login=actor_login.lower())
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events.order_by("-at", "-id")


@dataclass(frozen=True)
class SuspendImpact:
    """Who suspending a district affects: people signed in there now, and people posted there."""

    signed_in: int
    posted: int


def district_suspend_impact(district: District) -> SuspendImpact:
    """Counted inside the district's own schema (its session table and postings); zero without one."""
    if not district.has_schema:
        return SuspendImpact(signed_in=0, posted=0)
    from django.contrib.sessions.models import Session
    from django.db.models import Q
    from django.utils import timezone

    today = timezone.localdate()
    with district_context(district.schema_name):
        people = {
            session.get_decoded().get("_auth_user_id")
            for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        }
        posted = (
            Posting.objects.filter(starts_on__lte=today)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
            .values("person")
            .distinct()
            .count()
        )
    return SuspendImpact(signed_in=len(people - {None}), posted=posted)
