"""Checking an export before a district is deleted, and the account rule restores share.

Used by ``manage.py district_delete`` and by the one restore path, ``backup_restore``
(``state_admin.services.backup_restore``, which ``manage.py district_restore`` also calls).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.db import connection
from django.utils.translation import gettext as _

from state_admin.models import ExportJob
from state_admin.services.export_archive import (
    ArchiveError,
    archive_open,
    schema_row_counts,
    sha256_of,
)
from tenants.models import District, User


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
