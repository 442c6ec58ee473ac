"""Postings: a person holding a post for a period; additional charges; transfers in the district.

A post has one substantive holder at a time and at most one additional charge at a time. The
check runs under a row lock on the post (and its office, so the office cannot close meanwhile),
so two requests at once cannot both pass it.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.base.audit import Actor, audit_append
from core.base.records import post_marked_records
from core.letters.signing import posting_ended
from core.models import Office, Post, Posting
from core.org.services.posting_bulk import memberships_sync_bulk
from tenants.models import User


def _membership_sync(*, person_id: int) -> None:
    """Keep the public index of where the person holds open postings in step with this district."""
    memberships_sync_bulk(person_ids={person_id})


def _overlapping(*, post: Post, starts_on: datetime.date, ends_on: datetime.date | None):
    overlap = Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    if ends_on is not None:
        overlap &= Q(starts_on__lte=ends_on)
    return Posting.objects.filter(overlap, post=post).select_related("person")


def _period(posting: Posting) -> str:
    start = date_format(posting.starts_on)
    if posting.ends_on is None:
        return _("from %(start)s") % {"start": start}
    return _("from %(start)s to %(end)s") % {"start": start, "end": date_format(posting.ends_on)}


def _dates_check(*, starts_on: datetime.date, ends_on: datetime.date | None, additional_charge: bool) -> None:
    if additional_charge and ends_on is None:
        raise ValidationError(
            {"ends_on": _("An additional charge is for a stated period: give its end date.")}
        )
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})


def staff_admin_refusal() -> str:
    """Why platform staff are never posted as a district admin (translated when called)."""
    return _(
        "Platform staff cannot be a district's admin: name an officer's own account (staff help a "
        "district as staff, and that is audited)."
    )


def _rules_check(
    *,
    person: User,
    post: Post,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    additional_charge: bool,
) -> None:
    """The posting register's rules, under row locks on the post's office and the post."""
    office = Office.objects.select_for_update().get(pk=post.office_id)
    locked_post = Post.objects.select_for_update().get(pk=post.pk)
    if office.status == Office.Status.CLOSED:
        raise ValidationError({"post": _("%(office)s is closed.") % {"office": office.name}})
    if locked_post.closed_on is not None:
        raise ValidationError({"post": _("%(post)s is closed.") % {"post": post.title}})
    if locked_post.kind == Post.Kind.DISTRICT_ADMIN and (person.is_staff or person.is_superuser):
        # Staff enter a district for support, audited as staff; never as its admin.
        raise ValidationError({"person": staff_admin_refusal()})
    overlapping = _overlapping(post=post, starts_on=starts_on, ends_on=ends_on)
    mine = overlapping.filter(person=person).first()
    if mine is not None:
        raise ValidationError(
            {"person": _("%(person)s already holds %(post)s %(period)s.")
             % {"person": person.login_id, "post": post.title, "period": _period(mine)}}
        )  # fmt: skip
    other = overlapping.filter(additional_charge=additional_charge).first()
    if other is not None:
        if additional_charge:
            message = _(
                "%(person)s holds the additional charge of %(post)s %(period)s; a post has one "
                "additional charge at a time."
            )
        else:
            message = _(
                "%(person)s holds %(post)s %(period)s; a post has one holder at a time. End that "
                "posting first, or give an additional charge for a period."
            )
        raise ValidationError(
            {
                "starts_on": message
                % {"person": other.person.login_id, "post": post.title, "period": _period(other)}
            }
        )


def _create(*, person: User, post: Post, starts_on, ends_on, additional_charge: bool) -> Posting:
    posting = Posting.objects.create(
        person=person, post=post, starts_on=starts_on, ends_on=ends_on, additional_charge=additional_charge
    )
    _membership_sync(person_id=person.pk)
    return posting


@transaction.atomic
def posting_start(
    *,
    person: User,
    post: Post,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    additional_charge: bool = False,
    actor: Actor | None = None,
) -> Posting:
    """Post a person to a post from ``starts_on`` (today), until ``ends_on`` (open-ended).

    The register's rules always hold: the post and its office are open, a post has one
    substantive holder and one additional charge at a time, and an additional charge has an end
    date. Without an ``actor`` (seeding, provisioning, imports by the system) a posting the person
    already holds is returned unchanged, so seeding can run again; an admin (``actor``) asking
    for it twice is told so.
    """
    starts_on = starts_on or timezone.localdate()
    _dates_check(starts_on=starts_on, ends_on=ends_on, additional_charge=additional_charge)
    if actor is None:
        open_posting = Posting.objects.filter(person=person, post=post, ends_on__isnull=True).first()
        if open_posting:
            return open_posting
    _rules_check(
        person=person,
        post=post,
        starts_on=starts_on,
        ends_on=ends_on,
        additional_charge=additional_charge,
    )
    posting = _create(
        person=person, post=post, starts_on=starts_on, ends_on=ends_on, additional_charge=additional_charge
    )
    audit_append(
        actor=actor,
        action="posting.additional_charge" if additional_charge else "posting.start",
        target=posting,
        summary=f"{person.login_id} → {post.title}",
        details={"person": person.login_id, "post": post.code, "starts_on": starts_on, "ends_on": ends_on},
    )
    return posting


def _end(*, posting: Posting, day: datetime.date, strict: bool) -> bool:
    if posting.ends_on is not None and (not strict or posting.ends_on <= day):
        if strict:
            raise ValidationError(
                {"ends_on": _("This posting ended on %(day)s.") % {"day": date_format(posting.ends_on)}}
            )
        return False
    if day < posting.starts_on:
        if strict:
            raise ValidationError(
                {"ends_on": _("The end date cannot be before the posting began (%(day)s).")
                 % {"day": date_format(posting.starts_on)}}
            )  # fmt: skip
        day = posting.starts_on
    posting.ends_on = day
    posting.save(update_fields=["ends_on"])
    _membership_sync(person_id=posting.person_id)
    return True


@transaction.atomic
def posting_end(
    *, posting: Posting, ends_on: datetime.date | None = None, actor: Actor | None = None
) -> Posting:
    """End a posting on ``ends_on`` (today); the post, and what is marked to it, stays for the next
    holder. With an ``actor`` (a district admin) a date before the posting began, or a posting
    already ended by then, is refused; a posting due to end later may be ended earlier. Without
    one an ended posting is left as it is and an early date is taken as the first day."""
    Post.objects.select_for_update().get(pk=posting.post_id)
    locked = Posting.objects.select_related("person", "post").get(pk=posting.pk)
    day = ends_on or timezone.localdate()
    if _end(posting=locked, day=day, strict=actor is not None):
        audit_append(
            actor=actor,
            action="posting.end",
            target=locked,
            summary=f"{locked.person.login_id} → {locked.post.title}",
            details={"ends_on": locked.ends_on},
        )
        # The officer's signing certificate as this post stops signing at once (core.letters).

        posting_ended(person_id=locked.person_id, post_id=locked.post_id)
    posting.ends_on = locked.ends_on
    return posting


@transaction.atomic
def posting_transfer(
    *, actor: Actor, posting: Posting, to_post: Post, on: datetime.date, ends_on: datetime.date | None = None
) -> Posting:
    """Transfer within the district: from ``on`` the person holds ``to_post`` (until ``ends_on``)
    and their posting to the old post ends the day before, in one transaction. The old post keeps
    whatever is marked to it, for its next holder. Returns the new posting. District admins.
    """
    old = Posting.objects.select_related("person", "post").get(pk=posting.pk)
    if old.additional_charge:
        raise ValidationError({"posting": _("An additional charge is ended, not transferred.")})
    if old.post_id == to_post.pk:
        raise ValidationError({"to_post": _("Choose a different post to transfer to.")})
    if on <= old.starts_on:
        raise ValidationError(
            {"on": _("The transfer date must be after the posting began (%(day)s).")
             % {"day": date_format(old.starts_on)}}
        )  # fmt: skip
    if old.ends_on is not None and old.ends_on < on:
        raise ValidationError({"on": _("This posting ended on %(day)s.") % {"day": date_format(old.ends_on)}})
    marked_before = post_marked_records(old.post)
    _dates_check(starts_on=on, ends_on=ends_on, additional_charge=False)
    Post.objects.select_for_update().get(pk=old.post_id)
    old.ends_on = on - datetime.timedelta(days=1)
    old.save(update_fields=["ends_on"])
    try:
        _rules_check(person=old.person, post=to_post, starts_on=on, ends_on=ends_on, additional_charge=False)
    except ValidationError as error:
        raise ValidationError({"to_post": error.messages}) from error
    new = _create(person=old.person, post=to_post, starts_on=on, ends_on=ends_on, additional_charge=False)
    audit_append(
        actor=actor,
        action="posting.transfer",
        target=new,
        summary=f"{old.person.login_id}: {old.post.title} → {to_post.title}",
        details={
            "person": old.person.login_id,
            "from_post": old.post.code,
            "from_posting": old.pk,
            "to_post": to_post.code,
            "on": on,
            "kept_with_post": marked_before,
        },
    )
    return new
