"""Training for e-Office in one district: sessions, invitations, attendance, and who is trained.

An officer is trained once they attended at least one session. An office's training coverage is
the share of its open postings whose holder is trained; it feeds the "staff trained" item of the
office's readiness checklist (``core.org.services.readiness``). Only people with an open posting
in this district can be invited. Writes are for district admins (the callers check), atomic and
audited. Run under the district's schema. The reads are in ``core.org.selectors.training``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.audit import Actor, audit_append
from core.models import Office, TrainingInvite, TrainingSession
from core.org.selectors.training import open_postings
from tenants.models import User

SESSION_FIELDS = ("held_on", "place", "online", "trainer", "topics", "office")


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
