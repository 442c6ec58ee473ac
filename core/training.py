"""Training for e-Office in one district: sessions, invitations, attendance, and who is trained.

An officer is trained once they attended at least one session. An office's training coverage is
the share of its open postings whose holder is trained; it feeds the "staff trained" item of the
office's readiness checklist (``core.readiness``). Only people with an open posting in this
district can be invited. Writes are for district admins (the callers check), atomic and audited.
Run under the district's schema.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import Actor, audit_append
from core.models import Office, Posting, TrainingInvite, TrainingSession
from tenants.models import User

SESSION_FIELDS = ("held_on", "place", "online", "trainer", "topics", "office")


# --- reads -------------------------------------------------------------------------------------


def open_postings() -> QuerySet[Posting]:
    """Postings that have not ended, with their post, office and holder."""
    return Posting.objects.filter(ends_on__isnull=True).select_related("post__office", "person")


def trained_person_ids(person_ids: Iterable[int] | None = None) -> set[int]:
    """The people (of ``person_ids``, or all) who attended at least one session."""
    invites = TrainingInvite.objects.filter(attended=True)
    if person_ids is not None:
        invites = invites.filter(person_id__in=list(person_ids))
    return set(invites.values_list("person_id", flat=True).distinct())


@dataclass(frozen=True)
class Coverage:
    """An office's training coverage: open postings, how many of their holders are trained."""

    postings: int
    trained: int

    @property
    def share(self) -> int | None:
        """Percentage trained, rounded down (None when no one is posted to the office)."""
        return self.trained * 100 // self.postings if self.postings else None

    @property
    def complete(self) -> bool:
        return bool(self.postings) and self.trained == self.postings


def office_training_coverage(office_ids: Iterable[int] | None = None) -> dict[int, Coverage]:
    """{office id: Coverage} for the given offices (or every office with an open posting).

    Offices without open postings read as Coverage(0, 0). Two queries."""
    rows = Posting.objects.filter(ends_on__isnull=True)
    wanted = None if office_ids is None else list(office_ids)
    if wanted is not None:
        rows = rows.filter(post__office_id__in=wanted)
    pairs = list(rows.values_list("post__office_id", "person_id"))
    trained = trained_person_ids({person for _office, person in pairs})
    counts: dict[int, list[int]] = {pk: [0, 0] for pk in wanted or []}
    for office_id, person_id in pairs:
        entry = counts.setdefault(office_id, [0, 0])
        entry[0] += 1
        entry[1] += person_id in trained
    return {pk: Coverage(postings=n, trained=t) for pk, (n, t) in counts.items()}


def training_session_list() -> QuerySet[TrainingSession]:
    return TrainingSession.objects.select_related("office").order_by("-held_on", "-id")


def training_invites(session: TrainingSession) -> list[TrainingInvite]:
    """The session's invitees, by name, each with ``offices`` (where they hold open postings)."""
    invites = list(session.invites.select_related("person").order_by("person__full_name", "person__login_id"))
    offices = person_offices({invite.person_id for invite in invites})
    for invite in invites:
        invite.offices = offices.get(invite.person_id, [])
    return invites


def person_offices(person_ids: Iterable[int] | None = None) -> dict[int, list[Office]]:
    """{person id: the offices where they hold open postings}."""
    rows = open_postings()
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    result: dict[int, list[Office]] = {}
    for posting in rows.order_by("post__office__name"):
        offices = result.setdefault(posting.person_id, [])
        if posting.post.office not in offices:
            offices.append(posting.post.office)
    return result


def invitable_people() -> list[User]:
    """People with an open posting in this district, by name."""
    ids = open_postings().values_list("person_id", flat=True)
    return list(User.objects.filter(pk__in=ids).order_by("full_name", "login_id"))


@dataclass(frozen=True)
class OfficerTraining:
    person: User
    offices: list[Office]
    attended: int
    last_attended: datetime.date | None

    @property
    def trained(self) -> bool:
        return self.attended > 0


def officer_training_list() -> list[OfficerTraining]:
    """Every person with an open posting here, with the sessions they attended (trained: one or more)."""
    offices = person_offices()
    people = User.objects.filter(pk__in=offices.keys()).order_by("full_name", "login_id")
    attended: dict[int, list[datetime.date]] = {}
    for person_id, held_on in TrainingInvite.objects.filter(
        attended=True, person_id__in=offices.keys()
    ).values_list("person_id", "session__held_on"):
        attended.setdefault(person_id, []).append(held_on)
    return [
        OfficerTraining(
            person=person,
            offices=offices[person.pk],
            attended=len(attended.get(person.pk, [])),
            last_attended=max(attended[person.pk]) if person.pk in attended else None,
        )
        for person in people
    ]


# --- writes ------------------------------------------------------------------------------------


def _session_check(values: Mapping) -> dict:
    place = " ".join((values.get("place") or "").split())
    trainer = " ".join((values.get("trainer") or "").split())
    errors: dict[str, list[str]] = {}
    if not values.get("held_on"):
        errors["held_on"] = [_("Give the date of the session.")]
    if not trainer:
        errors["trainer"] = [_("Name the trainer.")]
    if not place and not values.get("online"):
        errors["place"] = [_("Give the place, or mark the session as online.")]
    office = values.get("office")
    if office is not None and office.status == Office.Status.CLOSED:
        errors["office"] = [_("This office is closed.")]
    if errors:
        raise ValidationError(errors)
    return {
        "held_on": values["held_on"],
        "place": place,
        "online": bool(values.get("online")),
        "trainer": trainer,
        "topics": (values.get("topics") or "").strip(),
        "office": office,
    }


@transaction.atomic
def training_session_create(
    *,
    actor: Actor,
    held_on: datetime.date,
    trainer: str,
    place: str = "",
    online: bool = False,
    topics: str = "",
    office: Office | None = None,
) -> TrainingSession:
    """Create a session (a date, a trainer, and a place or online). Audited ``training.create``."""
    values = _session_check(
        {
            "held_on": held_on,
            "trainer": trainer,
            "place": place,
            "online": online,
            "topics": topics,
            "office": office,
        }
    )
    session = TrainingSession.objects.create(**values, created_by=actor.person)
    audit_append(
        actor=actor,
        action="training.create",
        target=session,
        summary=_("Training session on %(day)s by %(trainer)s")
        % {"day": session.held_on, "trainer": trainer},
        details={"office_id": office.pk if office else None, "online": session.online},
    )
    return session


@transaction.atomic
def training_session_update(*, actor: Actor, session: TrainingSession, **changes) -> TrainingSession:
    """Change a session's date, place, online flag, trainer, topics or office. Audited ``training.edit``."""
    unknown = set(changes) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    values = _session_check({**{f: getattr(locked, f) for f in SESSION_FIELDS}, **changes})
    changed = [f for f in SESSION_FIELDS if getattr(locked, f) != values[f]]
    for field in changed:
        setattr(locked, field, values[field])
    if changed:
        locked.save(update_fields=changed)
        audit_append(
            actor=actor,
            action="training.edit",
            target=locked,
            summary=_("Training session of %(day)s changed") % {"day": locked.held_on},
            details={"changed": changed},
        )
    return locked


@transaction.atomic
def training_invite(*, actor: Actor, session: TrainingSession, people: Iterable[User]) -> int:
    """Invite people to a session; returns how many were newly invited (already invited: kept).

    Everyone must hold an open posting in this district. Audited ``training.invite``."""
    wanted = {person.pk: person for person in people}
    if not wanted:
        raise ValidationError({"people": [_("Choose at least one officer to invite.")]})
    posted = set(open_postings().filter(person_id__in=wanted).values_list("person_id", flat=True))
    strangers = sorted(str(wanted[pk].login_id) for pk in wanted.keys() - posted)
    if strangers:
        raise ValidationError(
            {"people": [_("Not posted in this district: %(people)s.") % {"people": ", ".join(strangers)}]}
        )
    already = set(session.invites.filter(person_id__in=wanted).values_list("person_id", flat=True))
    new = [pk for pk in wanted if pk not in already]
    TrainingInvite.objects.bulk_create([TrainingInvite(session=session, person_id=pk) for pk in new])
    if new:
        audit_append(
            actor=actor,
            action="training.invite",
            target=session,
            summary=_("%(n)d officers invited to the training of %(day)s")
            % {"n": len(new), "day": session.held_on},
            details={"person_ids": new},
        )
    return len(new)


@transaction.atomic
def training_attendance_mark(
    *, actor: Actor, session: TrainingSession, marks: Mapping[int, bool | None]
) -> int:
    """Mark invitees (by invite id) as attended (True), absent (False) or not marked (None);
    returns how many marks changed. Invites of other sessions are refused. Audited
    ``training.attendance``."""
    invites = {invite.pk: invite for invite in session.invites.select_for_update().filter(pk__in=list(marks))}
    if set(marks) - set(invites):
        raise ValidationError({"marks": [_("Some of these people were not invited to this session.")]})
    now = timezone.now()
    changed = []
    for pk, attended in marks.items():
        invite = invites[pk]
        if invite.attended is not attended:
            invite.attended, invite.marked_by, invite.marked_at = attended, actor.person, now
            changed.append(invite)
    if changed:
        TrainingInvite.objects.bulk_update(changed, ["attended", "marked_by", "marked_at"])
        audit_append(
            actor=actor,
            action="training.attendance",
            target=session,
            summary=_("Attendance marked for the training of %(day)s") % {"day": session.held_on},
            details={"marks": {str(i.person_id): i.attended for i in changed}},
        )
    return len(changed)
