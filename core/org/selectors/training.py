"""Reads of training for e-Office in one district: sessions, invitations, who is trained, and each
office's coverage (the share of its open postings whose holder attended a session), which feeds
the "staff trained" checklist item. Run under the district's schema. The writes are in
``core.org.services.training``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from core.models import Office, Posting, TrainingInvite, TrainingSession
from tenants.models import User


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
