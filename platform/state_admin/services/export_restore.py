"""Bringing a district back from its export, and checking an export before a district is deleted.

Used by ``manage.py district_restore`` and ``manage.py district_delete`` (operators only; neither
is offered in the state console).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_exists

from state_admin.models import ExportJob
from state_admin.services.audit import StaffActor, audit_record
from state_admin.services.export_archive import (
    ArchiveError,
    OpenedArchive,
    archive_open,
    pg_program,
    run_pg,
    schema_row_counts,
    server_major,
    sha256_of,
)
from tenants import schemas
from tenants.models import District, DistrictMembership, Domain, PoliceRange, User
from tenants.roles import schema_privileges_apply
from tenants.storage import district_media_dir


@dataclass
class RestoreResult:
    district: District
    row_counts: dict[str, int]
    expected_counts: dict[str, int]
    accounts_created: list[str] = field(default_factory=list)
    accounts_reused: list[str] = field(default_factory=list)
    files: int = 0
    seconds: float = 0.0


@dataclass
class _Made:
    """What a restore has made so far, so that a failure can take it all away again."""

    district_id: int | None = None
    schema: str = ""
    range_id: int | None = None
    user_ids: list[int] = field(default_factory=list)
    media: Path | None = None


def district_restore(
    *, archive: Path, expected_sha256: str | None = None, actor: StaffActor | None = None
) -> RestoreResult:
    """Restore a district from its export into this database; all or nothing.

    Verifies the archive (its manifest's checksums, and ``expected_sha256`` if given), refuses if
    the district's slug, schema, domains or file folder exist, creates the range, District,
    Domain rows and the missing accounts (with their original ids; an account with the same id
    and login ID is reused, any other clash is an error), loads ``schema.sql`` with psql
    (ON_ERROR_STOP, one transaction), restores the files and checks every table's row count
    against the manifest. On any failure everything it made is removed again. Raises ArchiveError.
    """
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="karyalay-restore-") as work:
        opened = archive_open(Path(archive), Path(work), expected_sha256=expected_sha256)
        _check_migrations_known(opened)
        _check_free(opened.district)
        psql = pg_program("psql", server_major())  # before anything is made
        made = _Made()
        try:
            result = _public_rows_create(opened, made)
            made.schema = opened.district["schema_name"]
            run_pg(
                [str(psql), "--no-psqlrc", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1"]
                + ["--file", str(opened.schema_sql)],
                what="psql",
            )
            with connection.cursor() as cursor:
                result.row_counts = schema_row_counts(cursor, made.schema)
            if result.row_counts != result.expected_counts:
                raise ArchiveError(
                    _("Row counts after loading differ from the manifest: %(diff)s")
                    % {"diff": _count_differences(result.expected_counts, result.row_counts)}
                )
            with transaction.atomic():  # the app role's rights; its audit table append-only
                schema_privileges_apply(made.schema)
            result.files = _files_restore(opened, made)
            _finish(opened, result, actor=actor)
        except BaseException:
            _undo(made)
            raise
    result.seconds = time.monotonic() - started
    return result


def _check_migrations_known(opened: OpenedArchive) -> None:
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = [
        f"{app}.{name}"
        for app, names in opened.manifest.get("migrations", {}).items()
        for name in names
        if (app, name) not in known and app not in ("contenttypes", "auth", "admin")
    ]
    if unknown:
        raise ArchiveError(
            _("The archive was made by a newer version of Karyalay (unknown migrations: %(m)s).")
            % {"m": ", ".join(unknown[:5])}
        )


def _check_free(desc: dict) -> None:
    slug, schema = desc["slug"], desc["schema_name"]
    if District.objects.filter(slug=slug).exists():
        raise ArchiveError(_("A district with the slug “%(slug)s” already exists.") % {"slug": slug})
    if District.objects.filter(schema_name=schema).exists() or schema_exists(schema):
        raise ArchiveError(_("The schema “%(schema)s” already exists.") % {"schema": schema})
    taken = Domain.objects.filter(domain__in=[d["domain"] for d in desc["domains"]])
    if taken.exists():
        raise ArchiveError(_("The domain %(domain)s is already in use.") % {"domain": taken.first().domain})
    media = district_media_dir(schema)
    if media.exists() and any(media.iterdir()):
        raise ArchiveError(_("The file folder %(path)s already holds files.") % {"path": media})


@transaction.atomic
def _public_rows_create(opened: OpenedArchive, made: _Made) -> RestoreResult:
    desc = opened.district
    police_range = None
    if desc.get("range"):
        police_range = PoliceRange.objects.filter(name__iexact=desc["range"]["name"]).first()
        if police_range is None:
            police_range = PoliceRange.objects.create(
                name=desc["range"]["name"], name_hi=desc["range"].get("name_hi", "")
            )
            made.range_id = police_range.pk
    district = District.objects.create(
        slug=desc["slug"],
        schema_name=desc["schema_name"],
        name=desc["name"],
        name_hi=desc.get("name_hi", ""),
        police_range=police_range,
        status=desc["status"],
        status_reason=desc.get("status_reason", ""),
        status_changed_at=timezone.now(),
    )
    made.district_id = district.pk  # (a rollback of this block makes undoing it a no-op)
    for domain in desc["domains"]:
        Domain.objects.create(domain=domain["domain"], tenant=district, is_primary=domain["is_primary"])
    result = RestoreResult(district=district, row_counts={}, expected_counts=opened.manifest["row_counts"])
    for account in opened.accounts:
        if _account_restore(account):
            made.user_ids.append(account["id"])
            result.accounts_created.append(account["login_id"])
        else:
            result.accounts_reused.append(account["login_id"])
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [User, PoliceRange]):
            cursor.execute(statement)
    return result


def _account_restore(account: dict) -> bool:
    """Create the account with its original id; True if made, False if the same one exists."""
    login_id = account["login_id"]
    same_id = User.objects.filter(pk=account["id"]).first()
    if same_id is not None:
        if same_id.login_id == login_id:
            return False
        raise ArchiveError(
            _("Account %(id)s is “%(other)s” here, not “%(login)s”.")
            % {"id": account["id"], "other": same_id.login_id, "login": login_id}
        )
    clashes = {
        _("login ID"): User.objects.filter(login_id=login_id),
        _("e-mail"): User.objects.filter(email__iexact=account["email"]) if account["email"] else None,
        _("service number"): (
            User.objects.filter(service_number=account["service_number"])
            if account["service_number"]
            else None
        ),
    }
    for what, query in clashes.items():
        if query is not None and query.exists():
            raise ArchiveError(
                _("The account “%(login)s” clashes with “%(other)s” here (same %(what)s, other id).")
                % {"login": login_id, "other": query.first().login_id, "what": what}
            )
    user = User(**account, must_set_password=True)
    user.set_unusable_password()  # passwords are never exported: the person sets a new one
    user.save(force_insert=True)
    return True


def _files_restore(opened: OpenedArchive, made: _Made) -> int:
    source = opened.files
    files = [p for p in source.rglob("*") if p.is_file()] if source.is_dir() else []
    media = district_media_dir(opened.district["schema_name"])
    media.parent.mkdir(parents=True, exist_ok=True)
    if media.exists():
        media.rmdir()  # empty (checked before)
    made.media = media
    staging = media.with_name(f".{media.name}.restoring")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging) if source.is_dir() else staging.mkdir()
    staging.rename(media)
    return len(files)


@transaction.atomic
def _finish(opened: OpenedArchive, result: RestoreResult, *, actor: StaffActor | None) -> None:
    """Rebuild the public index of memberships from the restored postings; audit the restore."""
    schema = opened.district["schema_name"]
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT person_id, count(*) FILTER (WHERE ends_on IS NULL) FROM "{schema}".core_posting '  # noqa: S608
            "GROUP BY person_id"
        )
        rows = cursor.fetchall()
    DistrictMembership.objects.bulk_create(
        DistrictMembership(person_id=person, district=result.district, open_postings=count)
        for person, count in rows
    )
    audit_record(
        actor=actor,
        action="district.restore",
        district=result.district,
        target=result.district.name,
        details={
            "archive_sha256": opened.sha256,
            "accounts_created": result.accounts_created,
            "row_counts": result.row_counts,
            "files": result.files,
        },
    )


def _undo(made: _Made) -> None:
    with transaction.atomic():
        if made.schema:
            schemas.schema_drop(made.schema)
        if made.district_id:
            DistrictMembership.objects.filter(district_id=made.district_id).delete()
            Domain.objects.filter(tenant_id=made.district_id).delete()
            District.objects.filter(pk=made.district_id).delete()
        if made.user_ids:
            # Raw: Django's delete() would look for postings in the public schema. Nothing else
            # refers to accounts this restore has just made.
            accounts = User.objects.filter(pk__in=made.user_ids)
            accounts._raw_delete(accounts.db)
        if made.range_id and not District.objects.filter(police_range_id=made.range_id).exists():
            PoliceRange.objects.filter(pk=made.range_id).delete()
    if made.media is not None:
        shutil.rmtree(made.media, ignore_errors=True)


def _count_differences(expected: dict, actual: dict) -> str:
    tables = sorted(set(expected) | set(actual))
    return ", ".join(
        f"{t}: {expected.get(t)} → {actual.get(t)}" for t in tables if expected.get(t) != actual.get(t)
    )


def district_export_verify(*, district: District, archive: Path) -> ExportJob:
    """The DONE export of ``district`` that ``archive`` is, if it still holds the district's data.

    Checks the archive's SHA-256 against the district's finished exports, every member against
    the manifest, and the manifest's row counts against the schema's counts now (nothing changed
    since). Raises ArchiveError saying which check failed.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise ArchiveError(_("No archive at %(path)s.") % {"path": archive})
    digest = sha256_of(archive)
    job = ExportJob.objects.filter(
        district_slug=district.slug, status=ExportJob.Status.DONE, sha256=digest
    ).first()
    if job is None:
        raise ArchiveError(
            _("This archive (SHA-256 %(sha)s) is not a finished export of %(name)s.")
            % {"sha": digest, "name": district.name}
        )
    with tempfile.TemporaryDirectory(prefix="karyalay-verify-") as work:
        opened = archive_open(archive, Path(work), expected_sha256=digest)
    if opened.manifest.get("schema") != district.schema_name:
        raise ArchiveError(_("The archive is of another schema."))
    with connection.cursor() as cursor:
        now = _records_only(schema_row_counts(cursor, district.schema_name))
    then = _records_only(opened.manifest["row_counts"])
    if now != then:
        raise ArchiveError(
            _("The district changed since this export (%(diff)s); export it again.")
            % {"diff": _count_differences(then, now)}
        )
    return job


# Sign-ins to a suspended or archived district still come and go; they are not its records.
NOT_RECORDS = frozenset({"django_session"})


def _records_only(counts: dict[str, int]) -> dict[str, int]:
    return {table: n for table, n in counts.items() if table not in NOT_RECORDS}
