"""Bringing one district back from its backup into a running deployment, touching no other.

Three cases, one path (``backup_restore_district``):

- the district is gone (or its schema is): it comes back under its own slug;
- it is live: refused unless ``replace`` is given; then the backup takes its place;
- ``as_slug``: a copy under a new slug, new schema and new domain beside the live original (to
  inspect yesterday's data beside today's); the original keeps serving throughout.

Nothing live is changed until the end: the archive is verified, the schema is loaded into a
scratch schema (``restore_<hex>``: its ``schema.sql`` with the schema name rewritten outside the
data), its row counts are compared with the manifest, its audit chain is walked and must end at
the manifest's head, the files are copied to a hidden folder beside the district's; only then
one transaction renames the live schema away, the scratch schema into its place, writes the
public rows, the memberships, the audit record and a new anchor of the restored chain's head
(so that the anchors of the replaced trail do not report the restore as a trimmed chain), and the
file folders are swapped just before it commits. An interrupted restore leaves the live district
as it was and takes its scratch schema and files away again.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists

from core.base.audit import audit_verify
from state_admin.models import AuditAnchor
from state_admin.services.audit import StaffActor, audit_record
from state_admin.services.audit_anchor import Finding, _anchor_write
from state_admin.services.backup import backup_version_check
from state_admin.services.export_archive import (
    ArchiveError,
    OpenedArchive,
    archive_open,
    pg_program,
    quote_ident,
    run_pg,
    schema_row_counts,
    server_major,
)
from state_admin.services.export_restore import _account_restore, _count_differences
from tenants import schemas
from tenants.context import district_context
from tenants.hosts import host_cache_clear
from tenants.models import District, DistrictMembership, Domain, PoliceRange, User
from tenants.naming import schema_name_for, slug_validate
from tenants.roles import schema_privileges_apply
from tenants.storage import district_media_dir


@dataclass
class DistrictRestoreResult:
    district: District
    replaced: bool
    row_counts: dict[str, int]
    expected_counts: dict[str, int]
    files: int
    accounts_created: list[str] = field(default_factory=list)
    accounts_reused: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class _Target:
    slug: str
    schema: str
    domain: str
    existing: District | None


@dataclass
class _Scratch:
    schema: str = ""
    files: Path | None = None
    user_ids: list[int] = field(default_factory=list)


def backup_restore_district(
    *,
    archive: Path,
    as_slug: str | None = None,
    replace: bool = False,
    expected_slug: str | None = None,
    expected_sha256: str | None = None,
    actor: StaffActor | None = None,
) -> DistrictRestoreResult:
    """Restore one district from a district backup; all or nothing, other districts untouched.

    Operators only (``manage.py backup_restore``, run as the owner role). Raises ArchiveError with
    the reason: a corrupt archive, another version's backup, a live district without
    ``replace``, a slug, schema, domain or file folder already taken, an archive whose own
    SHA-256 is not ``expected_sha256`` (when given). Also ``manage.py district_restore`` (exports
    are district backups).
    """
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="karyalay-restore-") as work:
        opened = archive_open(Path(archive), Path(work), expected_sha256=expected_sha256)
        if opened.manifest.get("kind") not in (None, "district"):
            raise ArchiveError(_("This is not a district backup."))
        if expected_slug and opened.district["slug"] != expected_slug:
            raise ArchiveError(
                _("This backup holds the district “%(there)s”, not “%(asked)s”.")
                % {"there": opened.district["slug"], "asked": expected_slug}
            )
        backup_version_check(opened.manifest)
        target = _target_of(opened, as_slug=as_slug, replace=replace)
        psql = pg_program("psql", server_major())  # before anything is made
        scratch = _Scratch()
        try:
            accounts_created = _accounts_create(opened, scratch)
            created = set(accounts_created)
            accounts_reused = [a["login_id"] for a in opened.accounts if a["login_id"] not in created]
            counts = _schema_load(opened, scratch, psql=psql, work=Path(work))
            chain = _chain_check(opened, scratch.schema)
            scratch.files = _files_stage(opened, target)
            district = _swap(opened, target, scratch, chain=chain, counts=counts, actor=actor)
        except BaseException:
            _scratch_remove(scratch)
            raise
    transaction.on_commit(host_cache_clear) if connection.in_atomic_block else host_cache_clear()
    return DistrictRestoreResult(
        district=district,
        replaced=target.existing is not None,
        row_counts=counts,
        expected_counts=opened.manifest["row_counts"],
        files=sum(1 for p in district_media_dir(target.schema).rglob("*") if p.is_file()),
        accounts_created=accounts_created,
        accounts_reused=accounts_reused,
        seconds=time.monotonic() - started,
    )


def _target_of(opened: OpenedArchive, *, as_slug: str | None, replace: bool) -> _Target:
    slug = as_slug or opened.district["slug"]
    if as_slug:
        try:
            slug_validate(as_slug)
        except ValidationError as exc:
            raise ArchiveError(" ".join(exc.messages)) from exc
    schema = schema_name_for(slug) if as_slug else opened.district["schema_name"]
    existing = District.objects.filter(slug=slug).first()
    domain = f"{slug}.{settings.ROOT_DOMAIN}"
    if existing is not None:
        if existing.schema_name != schema:
            raise ArchiveError(
                _("The district “%(slug)s” here uses the schema %(here)s, not %(there)s.")
                % {"slug": slug, "here": existing.schema_name, "there": schema}
            )
        live = schema_exists(schema) or _has_files(district_media_dir(schema))
        if live and not replace:
            raise ArchiveError(
                _(
                    "The district “%(slug)s” already exists here with its data. Give --replace to "
                    "put the backup in its place, or --as <new-slug> to restore it beside it."
                )
                % {"slug": slug}
            )
        return _Target(slug=slug, schema=schema, domain=domain, existing=existing)
    if District.objects.filter(schema_name=schema).exists() or schema_exists(schema):
        raise ArchiveError(_("The schema “%(schema)s” already exists.") % {"schema": schema})
    taken = Domain.objects.filter(domain=domain).first()
    if taken is not None:
        raise ArchiveError(_("The domain %(domain)s is already in use.") % {"domain": taken.domain})
    if _has_files(district_media_dir(schema)):
        raise ArchiveError(
            _("The file folder %(path)s already holds files.") % {"path": district_media_dir(schema)}
        )
    return _Target(slug=slug, schema=schema, domain=domain, existing=None)


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(folder.iterdir())


@transaction.atomic
def _accounts_create(opened: OpenedArchive, scratch: _Scratch) -> list[str]:
    """The accounts the schema refers to that this deployment lacks (same id; no password)."""
    created = []
    for account in opened.accounts:
        if _account_restore(account):
            scratch.user_ids.append(account["id"])
            created.append(account["login_id"])
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [User, PoliceRange]):
            cursor.execute(statement)
    return created


def schema_sql_rename(source: Path, target: Path, *, old: str, new: str) -> None:
    """Copy pg_dump's plain SQL of schema ``old`` to ``target`` as schema ``new``.

    pg_dump qualifies every name with its schema (``old.table``, ``"old".table``) and sets an
    empty search_path, so renaming the qualifier renames the schema. Data lines (between
    ``COPY ... FROM stdin;`` and ``\\.``) are copied untouched: a document's text that happens to
    hold ``old.`` is never changed.
    """
    qualified = re.compile(rf'(?<![A-Za-z0-9_"$])(?:{re.escape(old)}|"{re.escape(old)}")(?=\.)')
    create = re.compile(rf"^CREATE SCHEMA (?:{re.escape(old)}|\"{re.escape(old)}\");$")
    in_data = False
    with open(source, encoding="utf-8") as src, open(target, "w", encoding="utf-8") as out:
        for line in src:
            if in_data:
                in_data = line != "\\.\n"
                out.write(line)
                continue
            if line.startswith("--"):
                out.write(line)
                continue
            if create.match(line.rstrip("\n")):
                out.write(f"CREATE SCHEMA {quote_ident(new)};\n")
                continue
            line = qualified.sub(quote_ident(new), line)
            in_data = line.startswith("COPY ") and line.rstrip().endswith("FROM stdin;")
            out.write(line)


def _schema_load(opened: OpenedArchive, scratch: _Scratch, *, psql, work: Path) -> dict[str, int]:
    scratch.schema = f"restore_{uuid.uuid4().hex[:12]}"
    renamed = work / "scratch.sql"
    schema_sql_rename(opened.schema_sql, renamed, old=opened.manifest["schema"], new=scratch.schema)
    run_pg(
        [str(psql), "--no-psqlrc", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1",
         "--file", str(renamed)],
        what="psql",
    )  # fmt: skip
    with connection.cursor() as cursor:
        counts = schema_row_counts(cursor, scratch.schema)
    expected = opened.manifest["row_counts"]
    if counts != expected:
        raise ArchiveError(
            _("Row counts after loading differ from the manifest: %(diff)s")
            % {"diff": _count_differences(expected, counts)}
        )
    return counts


def _chain_check(opened: OpenedArchive, schema: str):
    """Walk the loaded chain; it must hold and end at the head the manifest recorded."""
    head = opened.manifest.get("audit_head")
    # The scratch schema is no district yet (district_context would refuse it): django-tenants'
    # own switch, for this one read.
    with schema_context(schema):
        chain = audit_verify()
    if chain.bad_event_id is not None:
        raise ArchiveError(
            _("The audit chain in the backup does not hold at event #%(id)s: %(problem)s")
            % {"id": chain.bad_event_id, "problem": chain.problem}
        )
    if head and (chain.head_id, chain.head_hash, chain.count) != (
        head["event_id"],
        head["hash"],
        head["count"],
    ):
        raise ArchiveError(
            _(
                "The audit chain in the backup ends at event #%(id)s, not at the head its manifest "
                "records (#%(head)s)."
            )
            % {"id": chain.head_id, "head": head["event_id"]}
        )
    return chain


def _files_stage(opened: OpenedArchive, target: _Target) -> Path:
    media = district_media_dir(target.schema)
    media.parent.mkdir(parents=True, exist_ok=True)
    staging = media.with_name(f".{media.name}.restoring-{uuid.uuid4().hex[:8]}")
    if opened.files.is_dir():
        shutil.copytree(opened.files, staging)
    else:
        staging.mkdir()
    return staging


def _swap(opened, target: _Target, scratch: _Scratch, *, chain, counts, actor) -> District:
    """The one transaction that puts the restored district in place; the files go just before
    it commits (and back again if it does not)."""
    media = district_media_dir(target.schema)
    old_media = media.with_name(f".{media.name}.replaced-{uuid.uuid4().hex[:8]}")
    old_schema = f"replaced_{uuid.uuid4().hex[:12]}"
    moved = []
    loaded = scratch.schema
    try:
        with transaction.atomic():
            district = _public_rows(opened, target)
            with connection.cursor() as cursor:
                if target.existing is not None and schema_exists(target.schema):
                    cursor.execute(
                        f"ALTER SCHEMA {quote_ident(target.schema)} RENAME TO {quote_ident(old_schema)}"
                    )
                cursor.execute(
                    f"ALTER SCHEMA {quote_ident(scratch.schema)} RENAME TO {quote_ident(target.schema)}"
                )
            if media.exists():
                media.rename(old_media)
                moved.append((old_media, media))
            scratch.files.rename(media)
            moved.append((media, scratch.files))
            schema_privileges_apply(target.schema)
            _memberships(district, target.schema)
            with district_context(target.schema):
                anchor = _anchor_write(
                    district=district, chain=chain, count=chain.count, kind=AuditAnchor.Kind.VERIFICATION,
                    found=Finding(AuditAnchor.Result.OK, ""),
                )  # fmt: skip
            audit_record(
                actor=actor,
                action="district.restore",
                district=district,
                target=district.name,
                details={
                    "archive_sha256": opened.sha256,
                    "from_slug": opened.district["slug"],
                    "backup_created_at": opened.manifest.get("created_at"),
                    "replaced": target.existing is not None,
                    "audit_head": opened.manifest.get("audit_head"),
                    "anchor": anchor.pk,
                    "rows": sum(counts.values()),
                },
            )
            scratch.schema = ""  # renamed into place; a failure now rolls the rename back
    except BaseException:
        for now, then in reversed(moved):
            now.rename(then)
        scratch.schema = loaded  # the rename was rolled back with the transaction
        raise
    scratch.files = None
    shutil.rmtree(old_media, ignore_errors=True)
    if schema_exists(old_schema):
        with transaction.atomic():
            schemas.schema_drop(old_schema)
    return district


def _public_rows(opened: OpenedArchive, target: _Target) -> District:
    desc = opened.district
    if target.existing is not None:
        district = District.objects.select_for_update().get(pk=target.existing.pk)
        DistrictMembership.objects.filter(district=district).delete()
        return district
    police_range = None
    if desc.get("range"):
        police_range = PoliceRange.objects.filter(name__iexact=desc["range"]["name"]).first()
        if police_range is None:
            police_range = PoliceRange.objects.create(
                name=desc["range"]["name"], name_hi=desc["range"].get("name_hi", "")
            )
    copy = target.slug != desc["slug"]
    district = District.objects.create(
        slug=target.slug,
        schema_name=target.schema,
        name=f"{desc['name']} ({target.slug})" if copy else desc["name"],
        name_hi=f"{desc.get('name_hi', '')} ({target.slug})" if copy else desc.get("name_hi", ""),
        police_range=police_range,
        # Exports before issue 22.2 name no kind: they were police districts.
        kind=desc.get("kind") if desc.get("kind") in District.Kind.values else District.Kind.DISTRICT,
        status=desc["status"],
        status_reason=desc.get("status_reason", ""),
        status_changed_at=timezone.now(),
    )
    Domain.objects.create(domain=target.domain, tenant=district, is_primary=True)
    return district


def _memberships(district: District, schema: str) -> None:
    with connection.cursor() as cursor:
        table = f"{quote_ident(schema)}.core_posting"
        cursor.execute(
            f"SELECT person_id, count(*) FILTER (WHERE ends_on IS NULL) FROM {table} GROUP BY person_id"  # noqa: S608
        )
        rows = cursor.fetchall()
    DistrictMembership.objects.bulk_create(
        DistrictMembership(person_id=person, district=district, open_postings=count) for person, count in rows
    )


def _scratch_remove(scratch: _Scratch) -> None:
    if scratch.schema and schema_exists(scratch.schema):
        with transaction.atomic():
            schemas.schema_drop(scratch.schema)
    if scratch.files is not None:
        shutil.rmtree(scratch.files, ignore_errors=True)
    if scratch.user_ids:
        with transaction.atomic():
            accounts = User.objects.filter(pk__in=scratch.user_ids)
            accounts._raw_delete(accounts.db)
