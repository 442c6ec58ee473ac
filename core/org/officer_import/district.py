"""A district admin's import of officers into their own district: the scope of the one pipeline
(``services``) for one district.

Jobs are ``core.OfficerImport`` rows in the district's schema; files are kept under the district's
own storage (``district_media_dir(schema)/imports/``); events go into the district's hash-chained
trail. Rows are checked as a district may (``platform_wide`` False): a row naming another district
is an error, as is a post another person holds, and a person posted in another district is
proposed to that district as a transfer instead of being moved. New accounts get a set-password
link by e-mail once their chunk commits. District admins only (the views check).

``officer_import_task(schema_name, job_id, actor_id=...)`` runs a confirmed job under its
district's schema (enqueued on commit).
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from core.base.audit import Actor, audit_append
from core.models import OfficerImport, Post
from core.org.officer_import import services
from core.org.officer_import.check import Action, CheckedRow
from core.org.officer_import.scope import ImportScope
from core.org.officer_import.write import rows_transferred
from core.org.services.officers import password_link_send
from core.org.services.transfers import districts_in_force, transfer_propose
from tenants.models import District, User
from tenants.storage import district_media_dir
from tenants.tasks import district_task

logger = logging.getLogger(__name__)


def import_dir(schema_name: str) -> Path:
    """Where this district's uploads are kept; never served (no URL maps to it)."""
    return district_media_dir(schema_name) / "imports"


class DistrictScope(ImportScope):
    """One district, the one whose schema the connection is under."""

    model = OfficerImport
    platform_wide = False
    across_districts = False

    def district(self) -> District:
        return District.objects.get(schema_name=connection.schema_name)

    def folder(self) -> Path:
        return import_dir(connection.schema_name)  # refuses the public schema

    def jobs(self):
        return OfficerImport.objects.select_related("created_by")

    def job_district(self, job) -> District:
        return self.district()

    def person(self, actor: Actor) -> User | None:
        return actor.person

    def audit(self, *, actor: Actor | None, action: str, job, details: dict | None = None) -> None:
        audit_append(actor=actor, action=action, target=job, summary=job.filename, details=details)

    def task_enqueue(self, *, job, actor: Actor) -> None:
        person_id = actor.person.pk if actor.person else None
        officer_import_task(connection.schema_name, str(job.pk), actor_id=person_id)

    def not_live_message(self, names: list[str]) -> str:
        return _("Officers are imported only while the district is live.")

    def chunk_written(self, rows: list[CheckedRow], *, districts, actor: Actor | None, today) -> None:
        """Each officer added and each transfer audited in this district's trail, transfers out of
        another district proposed to it, and set-password links sent once the chunk commits."""
        for row in rows:
            if row.action in (Action.ACCOUNT, Action.POSTING, Action.TRANSFER):
                _officer_audit(actor, "officer.add", row, row.values["login_id"], **{"import": True})
        for row in rows_transferred(rows):
            old = [districts[d].slug for d in row.transfer_from]
            _officer_audit(
                actor,
                "officer.transfer",
                row,
                f"{row.values['login_id']}: {', '.join(old)}",
                old_districts=old,
            )
        self._proposals_record(
            [row for row in rows if row.action == Action.PROPOSAL], actor=actor, today=today
        )
        new_ids = [row.person_id for row in rows if row.action == Action.ACCOUNT and row.values["email"]]
        if not new_ids:
            return
        district = self.district()

        def links() -> None:
            for person in User.objects.filter(pk__in=new_ids):
                try:
                    password_link_send(person=person, district=district)
                except Exception:  # a mail server down must not undo the import; the officer can ask again
                    logger.exception("set-password link for %s not sent", person.login_id)

        transaction.on_commit(links)

    def _proposals_record(self, rows: list[CheckedRow], *, actor: Actor | None, today) -> None:
        """A transfer proposal for each row whose person holds a posting in another district: that
        district (or the state console) decides, and nothing of theirs changes here. A row that
        cannot be proposed (one is already awaiting a decision, they are an admin there) is left,
        so importing the same file again proposes nothing twice."""
        if not rows:
            return
        here = self.district()
        posts = Post.objects.select_related("office").in_bulk({row.post_id for row in rows})
        for row in rows:
            person = User.objects.get(pk=row.person_id)
            try:
                with transaction.atomic():
                    transfer_propose(
                        actor=actor or Actor(person=None),
                        person=person,
                        post=posts[row.post_id],
                        from_districts=districts_in_force(person=person, on=today, here=here),
                        on=today,
                    )
            except ValidationError:
                continue


def _officer_audit(actor: Actor | None, action: str, row: CheckedRow, who: str, **details) -> None:
    """An event about the row's officer: "<who> → <post>", with their login ID and post."""
    audit_append(
        actor=actor,
        action=action,
        target_type="user",
        target_id=str(row.person_id),
        summary=f"{who} → {row.values['post']}",
        details={"login_id": row.values["login_id"], "post": row.values["post"], **details},
    )


DISTRICT = DistrictScope()


@district_task()
def officer_import_task(job_id: str, actor_id: int | None = None) -> bool:
    """Runs when a district admin confirms an import after its dry run, under the district's schema.

    Fetches the job again; a job that is gone, or already done, is left alone. Progress and the
    outcome are on the OfficerImport row.
    """
    person = User.objects.filter(pk=actor_id).first() if actor_id else None
    job = services.officer_import_run(
        scope=DISTRICT, job_id=job_id, actor=Actor(person=person) if person else None
    )
    return job is not None and job.status == OfficerImport.Status.DONE
