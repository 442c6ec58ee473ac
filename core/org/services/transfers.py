"""Transfers between districts: one district proposes, the other (or the state console) decides.

A district admin never changes another district. When the admin of district B adds an officer
who holds a posting in force in district A, B records a ``tenants.TransferProposal`` (the person,
both districts, the post in B, the proposed date, who proposed); nothing in A changes, and the
person's account (details, password, authenticator) is not touched. A's admin, on A's own host,
or platform staff on the state console, then either

- confirm, choosing the day of the move: the person's postings in force in A end that day
  (``posting_end``, audited in A's trail as done by the confirmer) and the posting proposed in B
  starts that day (``posting_start``, audited in B's trail), in one transaction; or
- decline: nothing changes but the proposal, and A's trail records the decision.

The proposer never decides their own proposal, and B's host never offers B's own proposals for a
decision. The views check who the caller is; the reads (filtered by district) are in
``core.org.selectors.transfers``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from core.base.audit import Actor, audit_append
from core.models import Post, Posting
from core.org.services.postings import posting_end, posting_start
from tenants.context import district_context
from tenants.models import District, TransferProposal, User


def _in_force(*, person: User, on: datetime.date) -> QuerySet[Posting]:
    """The person's postings in this district that are (or will be) held on or after ``on``."""
    return Posting.objects.filter(person=person).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def districts_in_force(*, person: User, on: datetime.date, here: District | None) -> list[District]:
    """The districts other than ``here`` where the person holds a posting in force on ``on`` or
    later, found through the public membership index and read in each district's own schema."""
    others = District.objects.filter(memberships__person=person).distinct().order_by("slug")
    if here is not None:
        others = others.exclude(pk=here.pk)
    found = []
    for other in others:
        with district_context(other.schema_name):
            if _in_force(person=person, on=on).exists():
                found.append(other)
    return found


def _admin_elsewhere(*, person: User, districts: list[District], on: datetime.date) -> bool:
    for other in districts:
        with district_context(other.schema_name):
            if _in_force(person=person, on=on).filter(post__kind=Post.Kind.DISTRICT_ADMIN).exists():
                return True
    return False


@transaction.atomic
def transfer_propose(
    *, actor: Actor, person: User, post: Post, from_districts: list[District], on: datetime.date
) -> TransferProposal:
    """Record that this district (the request's) asks to take ``person`` into ``post`` from ``on``.

    Run under the receiving district's schema. Changes nothing in the sending district and nothing
    of the account. Refused (a field error on ``service_number``, nothing recorded) when the person
    is a district admin there, holds postings in more than one other district (the state console
    moves them), or already has a proposal awaiting that district's decision.
    """
    here = District.objects.get(schema_name=connection.schema_name)
    if _admin_elsewhere(person=person, districts=from_districts, on=on):
        raise ValidationError(
            {
                "service_number": _(
                    "This officer is a district admin in another district; they must be released "
                    "there before they can be posted here."
                )
            }
        )
    if len(from_districts) != 1:
        raise ValidationError(
            {
                "service_number": _(
                    "This officer holds postings in more than one other district; ask the state "
                    "IT department to transfer them."
                )
            }
        )
    (source,) = from_districts
    try:
        with transaction.atomic():
            proposal = TransferProposal.objects.create(
                person=person,
                from_district=source,
                to_district=here,
                to_post_id=post.pk,
                to_post_title=f"{post.title} · {post.office.name}"[:300],
                proposed_on=on,
                proposed_by=actor.person,
                proposed_by_login=actor.person.login_id if actor.person else "",
            )
    except IntegrityError:
        raise ValidationError(
            {
                "service_number": _(
                    "A transfer of this officer is already awaiting the decision of %(district)s."
                )
                % {"district": source.name}
            }
        ) from None
    audit_append(
        actor=actor,
        action="transfer.propose",
        target=proposal,
        summary=f"{person.login_id}: {source.slug} → {post.code}",
        details={
            "login_id": person.login_id,
            "from_district": source.slug,
            "post": post.code,
            "proposed_on": on,
        },
    )
    return proposal


def _deciding(*, actor: Actor, proposal_id: int) -> TransferProposal:
    """The pending proposal, locked, if ``actor`` may decide it where this runs: on the sending
    district's host (its admin; the views check that) or on the state console (platform staff).
    Never the person who proposed it."""
    proposal = (
        TransferProposal.objects.select_for_update(of=("self",))
        .select_related("person", "from_district", "to_district")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise PermissionDenied
    schema = connection.schema_name
    if schema == get_public_schema_name():
        allowed = actor.person is not None and actor.person.is_staff
    else:
        allowed = schema == proposal.from_district.schema_name
    if not allowed or actor.person is None or actor.person.pk == proposal.proposed_by_id:
        raise PermissionDenied
    if proposal.status != TransferProposal.Status.PENDING:
        raise ValidationError(_("This proposal has already been decided."))
    return proposal


def _decided(proposal: TransferProposal, *, actor: Actor, status: str, **fields) -> None:
    proposal.status = status
    proposal.decided_by = actor.person
    proposal.decided_by_login = actor.person.login_id
    proposal.decided_at = timezone.now()
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.save(update_fields=["status", "decided_by", "decided_by_login", "decided_at", *fields])


@transaction.atomic
def transfer_confirm(*, actor: Actor, proposal_id: int, moved_on: datetime.date) -> TransferProposal:
    """Confirm a pending proposal: on ``moved_on`` (today or later) the person's postings in force
    in the sending district end and the proposed posting in the receiving district starts.

    All or nothing, each change audited in its own district's trail as done by ``actor``. Refused
    when the proposed post can no longer take them that day (closed, or held by someone else):
    the sending district is told only that, never who holds it.
    """
    proposal = _deciding(actor=actor, proposal_id=proposal_id)
    if moved_on < timezone.localdate():
        raise ValidationError({"moved_on": [_("The date of the move cannot be in the past.")]})
    person, source, target = proposal.person, proposal.from_district, proposal.to_district
    # In another district's trail the actor is the person alone: their post id means nothing there.
    there = Actor(person=actor.person, ip=actor.ip)
    with district_context(source.schema_name):
        postings = list(
            _in_force(person=person, on=moved_on).select_related("post").order_by("starts_on", "pk")
        )
        if any(posting.post.kind == Post.Kind.DISTRICT_ADMIN for posting in postings):
            raise ValidationError(
                _("They are this district's admin: release them from that post before they leave.")
            )
        if any(posting.starts_on > moved_on for posting in postings):
            raise ValidationError(
                {
                    "moved_on": [
                        _("They have a posting here that begins after this date; choose a later date.")
                    ]
                }
            )
        # A posting already ending that very day is left as it is; later ends are brought forward.
        ending = [posting for posting in postings if posting.ends_on is None or posting.ends_on > moved_on]
        for posting in ending:
            posting_end(posting=posting, ends_on=moved_on, actor=there)
        audit_append(
            actor=there,
            action="transfer.confirm",
            target=proposal,
            summary=f"{person.login_id} → {target.slug} ({date_format(moved_on)})",
            details={
                "login_id": person.login_id,
                "to_district": target.slug,
                "to_post": proposal.to_post_title,
                "moved_on": moved_on,
                "postings_ended": [posting.pk for posting in ending],
                "proposed_by": proposal.proposed_by_login,
            },
        )
    with district_context(target.schema_name):
        post = Post.objects.select_related("office").filter(pk=proposal.to_post_id).first()
        try:
            if post is None:
                raise ValidationError("gone")
            posting = posting_start(person=person, post=post, starts_on=moved_on, actor=there)
        except ValidationError:
            raise ValidationError(
                _(
                    "The post proposed in %(district)s cannot take them on that date (it is closed or "
                    "held by someone else). Decline this proposal; %(district)s may propose again."
                )
                % {"district": target.name}
            ) from None
        audit_append(
            actor=there,
            action="officer.transfer",
            target=person,
            summary=f"{person.login_id}: {source.slug} → {post.code}",
            details={
                "login_id": person.login_id,
                "old_districts": [source.slug],
                "post": post.code,
                "posting": posting.pk,
                "proposal": proposal.pk,
                "proposed_by": proposal.proposed_by_login,
                "confirmed_by": actor.person.login_id,
            },
        )
    _decided(proposal, actor=actor, status=TransferProposal.Status.CONFIRMED, moved_on=moved_on)
    return proposal


@transaction.atomic
def transfer_decline(*, actor: Actor, proposal_id: int, remarks: str = "") -> TransferProposal:
    """Decline a pending proposal: nothing changes in either district but the proposal itself,
    and the sending district's trail records the decision."""
    proposal = _deciding(actor=actor, proposal_id=proposal_id)
    remarks = " ".join(remarks.split())[:500]
    with district_context(proposal.from_district.schema_name):
        audit_append(
            actor=Actor(person=actor.person, ip=actor.ip),
            action="transfer.decline",
            target=proposal,
            summary=f"{proposal.person.login_id} ↛ {proposal.to_district.slug}",
            details={
                "login_id": proposal.person.login_id,
                "to_district": proposal.to_district.slug,
                "remarks": remarks,
                "proposed_by": proposal.proposed_by_login,
            },
        )
    _decided(proposal, actor=actor, status=TransferProposal.Status.DECLINED, remarks=remarks)
    return proposal


__all__ = [
    "districts_in_force",
    "transfer_confirm",
    "transfer_decline",
    "transfer_propose",
]
