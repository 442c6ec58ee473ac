"""Officers of one district, as its admin manages them: add, deactivate, reactivate, reset access.

Identity is global, postings are local: adding an officer the platform already knows (by service
number) gives them a new posting here, never a second account. A district admin never changes
another district: adding someone who holds a posting in force elsewhere records a transfer
proposal for that district (or the state console) to decide (``core.org.services.transfers``), and leaves the
person's account alone. Deactivation is per district (``AccessBlock``): the person's sessions
on this host end at once and the access gate refuses them here; history is kept. An admin never
sees or sets a password: a new officer, or one whose access is reset, gets a one-time link by
e-mail to set their own. Every write is audited in the district's trail in its own transaction.

District admins only (the views check); run under the district's schema (a request on its host).
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.base.audit import Actor, audit_append
from core.models import AccessBlock, Post, Posting
from core.org.officer_import.check import mobile_normalise
from core.org.selectors.postings import person_access_here
from core.org.services.postings import posting_start
from core.org.services.transfers import districts_in_force, transfer_propose
from tenants.context import district_context
from tenants.models import District, TransferProposal, User
from tenants.naming import is_devanagari_name
from tenants.services import LOGIN_ID_PATTERN


def _district() -> District:
    return District.objects.get(schema_name=connection.schema_name)


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def post_holder(*, post: Post) -> Posting | None:
    """The open (not additional-charge) posting of the post: a post has one holder at a time."""
    return (
        Posting.objects.filter(post=post, ends_on__isnull=True, additional_charge=False)
        .select_related("person")
        .order_by("starts_on")
        .first()
    )


def _person_for(*, login_id: str, service_number: str, email: str, errors: dict | None = None) -> User | None:
    """The known account these details name, or None for a new person; clashes are field errors.

    A known person is matched by service number only, and the login ID must be theirs: a login ID
    held by an account with another (or no) service number is taken. Platform staff accounts are
    never adopted. Errors never name another account. With ``errors``, every clash is added there
    (all at once, for the form); without, they are raised together.
    """
    found: dict[str, list[str]] = {}
    by_number = User.objects.filter(service_number=service_number).first() if service_number else None
    if by_number is not None and by_number.login_id != login_id:
        found["service_number"] = [_("This service number belongs to another account.")]
        by_number = None
    elif by_number is None and login_id and User.objects.filter(login_id=login_id).exists():
        found["login_id"] = [_("This login ID is taken.")]
    person = by_number
    if person is not None and (person.is_staff or person.is_superuser):
        found["login_id"] = [_("This login ID is taken.")]
        person = None
    if email:
        owner = User.objects.annotate(email_l=Lower("email")).filter(email_l=email.lower()).first()
        if owner is not None and (person is None or owner.pk != person.pk):
            found["email"] = [_("This e-mail address belongs to another person.")]
    _found(found, errors)
    return person


def _found(found: dict[str, list[str]], errors: dict | None) -> None:
    if not found:
        return
    if errors is None:
        raise ValidationError(found)
    for name, messages in found.items():
        errors.setdefault(name, []).extend(messages)


def _clean(*, login_id, full_name, full_name_hi, rank, service_number, mobile, email, errors=None) -> dict:
    """The details tidied; shape errors raised together (or added to ``errors``)."""
    values = {
        "login_id": login_id.strip().lower(),
        "full_name": " ".join(full_name.split()),
        "full_name_hi": " ".join(full_name_hi.split()),
        "rank": " ".join(rank.split()),
        "service_number": service_number.strip(),
        "mobile": mobile.strip(),
        "email": email.strip(),
    }
    found: dict[str, list[str]] = {}
    if not LOGIN_ID_PATTERN.fullmatch(values["login_id"]):
        found["login_id"] = [
            _("A login ID has 3 to 64 lowercase letters, digits, dots, hyphens or underscores.")
        ]
    if not values["full_name"]:
        found["full_name"] = [_("Give the officer's name.")]
    if values["full_name_hi"] and not is_devanagari_name(values["full_name_hi"]):
        found["full_name_hi"] = [_("The Hindi name must be written in Devanagari.")]
    if not values["service_number"]:
        found["service_number"] = [_("Give the officer's service number.")]
    if values["mobile"]:
        values["mobile"] = mobile_normalise(values["mobile"]) or ""
        if not values["mobile"]:
            found["mobile"] = [_("Not an Indian mobile number: ten digits starting with 6, 7, 8 or 9.")]
    _found(found, errors)
    return values


def _holder_problem(*, post: Post, person: User | None) -> str:
    holder = post_holder(post=post)
    if holder is None:
        return ""
    if person is not None and holder.person_id == person.pk:
        return _("This officer already holds this post.")
    return _("This post is held by %(login)s since %(date)s; end that posting first.") % {
        "login": holder.person.login_id,
        "date": date_format(holder.starts_on, "DATE_FORMAT"),
    }


def officer_add_problems(
    *,
    login_id: str,
    full_name: str,
    full_name_hi: str = "",
    rank: str = "",
    service_number: str,
    mobile: str = "",
    email: str = "",
    post: Post | None = None,
) -> dict[str, list[str]]:
    """Every reason ``officer_add`` would refuse these details, by field, found at once: the add
    form shows them together rather than one per submit. Reads only."""
    errors: dict[str, list[str]] = {}
    values = _clean(
        login_id=login_id,
        full_name=full_name,
        full_name_hi=full_name_hi,
        rank=rank,
        service_number=service_number,
        mobile=mobile,
        email=email,
        errors=errors,
    )
    person = _person_for(
        login_id="" if "login_id" in errors else values["login_id"],
        service_number=values["service_number"],
        email=values["email"],
        errors=errors,
    )
    if post is not None and (problem := _holder_problem(post=post, person=person)):
        errors.setdefault("post", []).append(problem)
    if person is None and not values["email"] and "email" not in errors:
        errors["email"] = [_("Give an e-mail address: the officer's set-password link goes there.")]
    return errors


@transaction.atomic
def officer_add(
    *,
    actor: Actor,
    login_id: str,
    full_name: str,
    full_name_hi: str = "",
    rank: str = "",
    service_number: str,
    mobile: str = "",
    email: str = "",
    post: Post,
    starts_on: datetime.date | None = None,
) -> Posting | TransferProposal:
    """Post an officer to ``post`` (a post of this district) from ``starts_on`` (today).

    A person known by service number (with their own login ID) gets a new posting, not a second
    account; their blank details are filled in, never overwritten. A known person who holds a
    posting in force in another district is not posted: a ``TransferProposal`` is recorded for
    that district to decide, and neither that district nor the account changes (returned instead
    of a posting). Someone who is a district admin elsewhere is refused until released there;
    platform staff are never adopted. A login ID or e-mail of another person, or a post another
    person holds, is a field error. A new account has no usable password: a set-password link
    goes to its e-mail once the transaction commits.
    """
    values = _clean(
        login_id=login_id,
        full_name=full_name,
        full_name_hi=full_name_hi,
        rank=rank,
        service_number=service_number,
        mobile=mobile,
        email=email,
    )
    person = _person_for(
        login_id=values["login_id"], service_number=values["service_number"], email=values["email"]
    )
    if problem := _holder_problem(post=post, person=person):
        raise _error("post", problem)
    starts_on = starts_on or timezone.localdate()
    if person is not None:
        elsewhere = districts_in_force(person=person, on=starts_on, here=_district())
        if elsewhere:
            # Their district decides; the account (e-mail included) stays as it is.
            return transfer_propose(
                actor=actor, person=person, post=post, from_districts=elsewhere, on=starts_on
            )
    new_account = person is None
    if new_account:
        if not values["email"]:
            raise _error("email", _("Give an e-mail address: the officer's set-password link goes there."))
        person = User.objects.create_user(values.pop("login_id"), None, **values, must_set_password=False)
    else:
        blank = {k: v for k, v in values.items() if k != "login_id" and v and not getattr(person, k)}
        if blank:
            for name, value in blank.items():
                setattr(person, name, value)
            person.save(update_fields=list(blank))
    posting = posting_start(person=person, post=post, starts_on=starts_on)
    audit_append(
        actor=actor,
        action="officer.add",
        target=person,
        summary=f"{person.login_id} → {post.code}",
        details={"login_id": person.login_id, "post": post.code, "new_account": new_account},
    )
    if not person.has_usable_password() and person.email:
        _link_on_commit(person)
    return posting


def _link_on_commit(person: User) -> None:
    district = _district()
    transaction.on_commit(lambda: password_link_send(person=person, district=district))


def password_link_send(*, person: User, district: District) -> None:
    """Send allauth's one-time set-password e-mail, its link on the district's own domain.

    Sent only to people who may use the district's host (the account adapter's rule).
    """
    from allauth.account.internal.flows.password_reset import request_password_reset
    from allauth.core import context

    domain = district.get_primary_domain()
    request = HttpRequest()
    request.tenant = district
    request.user = AnonymousUser()
    request.META.update(HTTP_HOST=domain.domain if domain else "", SERVER_NAME="", SERVER_PORT="80")
    with district_context(district.schema_name), context.request_context(request):
        request_password_reset(request, person.email, [person], None)


def sessions_end(*, person: User) -> int:
    """Delete the person's sessions on this district's host (its own session table); returns how many."""
    mine = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(person.pk)
    ]
    return Session.objects.filter(pk__in=mine).delete()[0]


def _not_self(actor: Actor, person: User) -> None:
    if actor.person is not None and actor.person.pk == person.pk:
        raise ValidationError(_("You cannot do this to your own account; ask another administrator."))


@transaction.atomic
def officer_deactivate(*, actor: Actor, person: User, reason: str) -> AccessBlock:
    """Bar the person from this district: an open AccessBlock, and their sessions here end now.

    Their postings and everything they did stay (history kept); other districts are not touched.
    """
    reason = " ".join(reason.split())
    if not reason:
        raise _error("reason", _("Say why the officer is deactivated."))
    _not_self(actor, person)
    if AccessBlock.objects.select_for_update().filter(person=person, lifted_at__isnull=True).exists():
        raise ValidationError(_("This officer is already deactivated."))
    block = AccessBlock.objects.create(person=person, reason=reason, blocked_by=actor.person)
    ended = sessions_end(person=person)
    audit_append(
        actor=actor,
        action="officer.deactivate",
        target=person,
        summary=f"{person.login_id}: {reason}",
        details={"login_id": person.login_id, "reason": reason, "sessions_ended": ended},
    )
    return block


@transaction.atomic
def officer_reactivate(*, actor: Actor, person: User) -> AccessBlock:
    """Lift the person's open block in this district; the block stays as history."""
    block = AccessBlock.objects.select_for_update().filter(person=person, lifted_at__isnull=True).first()
    if block is None:
        raise ValidationError(_("This officer is not deactivated."))
    block.lifted_at = timezone.now()
    block.lifted_by = actor.person
    block.save(update_fields=["lifted_at", "lifted_by"])
    audit_append(
        actor=actor,
        action="officer.reactivate",
        target=person,
        summary=person.login_id,
        details={"login_id": person.login_id, "block": block.pk},
    )
    return block


@transaction.atomic
def officer_access_reset(*, actor: Actor, person: User) -> None:
    """End the person's sessions here, remove their TOTP (not platform staff's: the state IT
    department manages theirs) so they set it up again, and send a fresh set-password link.

    Refused for a deactivated officer, one with no posting in force here, or no e-mail address,
    and for one who also holds a posting in force in another district: the password and the
    authenticator are the person's own across districts, so one district's admin never takes
    them away (the officer resets their own password; the state IT department helps otherwise).
    """
    from allauth.mfa.models import Authenticator

    _not_self(actor, person)
    kinds, blocked = person_access_here(person_id=person.pk)
    if blocked:
        raise ValidationError(_("This officer is deactivated; reactivate them first."))
    if not kinds:
        raise ValidationError(_("This officer holds no post here now."))
    if not person.email:
        raise ValidationError(_("This officer has no e-mail address for the set-password link."))
    if districts_in_force(person=person, on=timezone.localdate(), here=_district()):
        raise ValidationError(
            _(
                "This officer also holds a posting in another district: their password and "
                "authenticator serve every district, so they are not reset here. Deactivate them "
                "here to end their sessions here; the state IT department can help them otherwise."
            )
        )
    ended = sessions_end(person=person)
    removed = 0
    if not person.is_staff:
        removed = Authenticator.objects.filter(
            user=person, type__in=(Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES)
        ).delete()[0]
    audit_append(
        actor=actor,
        action="officer.access_reset",
        target=person,
        summary=person.login_id,
        details={"login_id": person.login_id, "sessions_ended": ended, "authenticators_removed": removed},
    )
    _link_on_commit(person)


__all__ = [
    "officer_access_reset",
    "officer_add",
    "officer_deactivate",
    "officer_reactivate",
    "password_link_send",
    "post_holder",
    "sessions_end",
]
