"""What an officer import's scope decides: where its jobs and files live, whom it may touch, and
where its audit events go. The pipeline (``services``) is the same for every scope.

Two scopes exist: one district (``district.DistrictScope``, its admin's console, jobs in the
district's schema, events in its hash-chained trail) and the state console across districts
(``state_admin.services.officer_import.StateScope``, jobs in the public schema, events in the
state log). A scope is a plain object; the pipeline only calls the methods below.
"""

from __future__ import annotations

from pathlib import Path

from django.db.models import QuerySet

from core.models import OfficerImportBase
from core.org.officer_import.check import CheckedRow
from tenants.models import District, User


class ImportScope:
    """The parameter of the one pipeline. Subclasses set ``model`` and fill in every method."""

    model: type[OfficerImportBase]
    # False for a district's own import: it matches by service number only, names no other
    # account, and proposes a transfer out of another district instead of making it.
    platform_wide: bool = True
    # The state console: a job may name any live district, or leave each row to name its own
    # (the upload form asks which, the sample and lists show each row's district).
    across_districts: bool = True

    def folder(self) -> Path:
        """Where this scope keeps uploaded files: never served (no URL maps to it)."""
        raise NotImplementedError

    def district(self) -> District:
        """The one district a scope that is not ``across_districts`` imports into."""
        raise NotImplementedError

    def jobs(self) -> QuerySet:
        """This scope's jobs, newest first (the lists and lookups start from it)."""
        return self.model.objects.all()

    def job_district(self, job: OfficerImportBase) -> District | None:
        """The district a job imports into; None when each row names its own."""
        raise NotImplementedError

    def job_fields(self, *, district: District | None) -> dict:
        """Fields of a new job beyond the common ones (the state console records the district)."""
        return {}

    def person(self, actor) -> User | None:
        """The account acting (recorded as the job's ``created_by``)."""
        raise NotImplementedError

    def audit(self, *, actor, action: str, job: OfficerImportBase, details: dict | None = None) -> None:
        """Record an event about a job; runs inside the action's transaction."""
        raise NotImplementedError

    def task_enqueue(self, *, job: OfficerImportBase, actor) -> None:
        """Queue the job's run (called on commit)."""
        raise NotImplementedError

    def not_live_message(self, names: list[str]) -> str:
        """Why a run stops when a district it writes into is no longer live."""
        raise NotImplementedError

    def chunk_written(self, rows: list[CheckedRow], *, districts: dict[int, District], actor, today) -> None:
        """Audit (and follow up) a chunk of rows just written, inside the chunk's transaction."""
        raise NotImplementedError
