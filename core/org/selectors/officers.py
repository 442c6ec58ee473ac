"""Reads of one district's officers for its admin: the list (current and past postings, roles,
deactivation), search, one officer, and the CSV export. Run under the district's schema."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.base.csv_cells import cell_safe
from core.models import AccessBlock, Post, Posting
from tenants.models import User

# Roles follow from the kinds of post a person holds (issue 4): who supervises, who only files.
SUPERVISOR_KINDS = frozenset(
    {Post.Kind.SP, Post.Kind.ADDL_SP, Post.Kind.DSP, Post.Kind.SDPO, Post.Kind.SHO, Post.Kind.INSPECTOR}
)
CLERK_KINDS = frozenset({Post.Kind.HEAD_CLERK, Post.Kind.CLERK, Post.Kind.OPERATOR})


def roles_of(kinds) -> list[str]:
    """The roles, in the user's language, of a person holding posts of these kinds."""
    kinds = set(kinds)
    roles = []
    if Post.Kind.DISTRICT_ADMIN in kinds:
        roles.append(_("District admin"))
    if kinds & SUPERVISOR_KINDS:
        roles.append(_("Supervisor"))
    if kinds & CLERK_KINDS:
        roles.append(_("Clerk / operator"))
    if Post.Kind.PIO in kinds:
        roles.append(_("PIO"))
    if kinds - SUPERVISOR_KINDS - CLERK_KINDS - {Post.Kind.DISTRICT_ADMIN, Post.Kind.PIO}:
        roles.append(_("Officer"))
    return roles


@dataclass
class OfficerRow:
    person: User
    current: list[Posting] = field(default_factory=list)
    past: list[Posting] = field(default_factory=list)
    block: AccessBlock | None = None

    @property
    def roles(self) -> list[str]:
        return roles_of(posting.post.kind for posting in self.current)


def officer_people(*, query: str = "") -> QuerySet[User]:
    """People who hold or held a posting in this district, by name; ``query`` searches names in
    both scripts, login IDs and service numbers."""
    people = User.objects.filter(pk__in=Posting.objects.values("person_id"))
    query = query.strip()
    if query:
        people = people.filter(
            Q(full_name__icontains=query)
            | Q(full_name_hi__icontains=query)
            | Q(login_id__icontains=query)
            | Q(service_number__icontains=query)
        )
    return people.order_by("full_name", "login_id")


def officer_rows(people) -> list[OfficerRow]:
    """Each person's postings here (in force, and past) and open block, in three queries."""
    rows = {person.pk: OfficerRow(person=person) for person in people}
    today = timezone.localdate()
    for posting in (
        Posting.objects.filter(person_id__in=rows)
        .select_related("post__office")
        .order_by("-starts_on", "-id")
    ):
        row = rows[posting.person_id]
        in_force = posting.starts_on <= today and (posting.ends_on is None or posting.ends_on >= today)
        (row.current if in_force else row.past).append(posting)
    for block in AccessBlock.objects.filter(person_id__in=rows, lifted_at__isnull=True):
        rows[block.person_id].block = block
    return list(rows.values())


def officer_get(*, person_id: int) -> User | None:
    """A person who holds or held a posting here; None for anyone else (other districts' people)."""
    return officer_people().filter(pk=person_id).first()


def officers_csv(*, query: str = "") -> bytes:
    """The officers list as CSV (UTF-8 with a BOM, so that Excel shows Hindi names)."""

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("login ID"),
            _("name (English)"),
            _("name (Hindi)"),
            _("rank"),
            _("service number"),
            _("mobile"),
            _("e-mail"),
            _("posts"),
            _("roles"),
            _("deactivated"),
        ]
    )
    for row in officer_rows(officer_people(query=query)):
        p = row.person
        posts = "; ".join(f"{x.post.title}, {x.post.office.name}" for x in row.current)
        writer.writerow(
            [
                cell_safe(v)
                for v in (
                    p.login_id,
                    p.full_name,
                    p.full_name_hi,
                    p.rank,
                    p.service_number,
                    p.mobile,
                    p.email,
                    posts,
                    ", ".join(row.roles),
                    row.block.blocked_at.date().isoformat() if row.block else "",
                )
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
