"""A district's lifecycle: suspend, resume, archive, and (from the command line only) delete.

Statuses and what each means on the district's host (``tenants.middleware``):

- LIVE: normal work.
- SUSPENDED: every request gets a page saying the district is suspended (data kept); suspending
  signs everyone out at once by emptying the district's own session table.
- ARCHIVED: read-only. Officers sign in and read; every other unsafe request gets a 403 page.

A status change takes effect at once in the process that makes it (saving a District clears
``tenants.hosts``' cache through a signal, again on commit). Other web processes keep their cached
copy of the district for at most ``tenants.hosts.HOST_CACHE_SECONDS`` (10 s) before they see it.

Only platform staff call these (the state console's lifecycle views, or the delete command).
"""

from __future__ import annotations

import shutil

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from state_admin.services.audit import StaffActor, audit_record
from tenants import schemas
from tenants.context import district_context, public_context
from tenants.hosts import host_cache_clear
from tenants.models import District
from tenants.storage import district_media_dir

Status = District.Status

# verb → (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "suspend": (frozenset({Status.LIVE}), Status.SUSPENDED),
    "resume": (frozenset({Status.SUSPENDED, Status.ARCHIVED}), Status.LIVE),
    "archive": (frozenset({Status.LIVE, Status.SUSPENDED}), Status.ARCHIVED),
}

VERB_LABELS = {
    "suspend": gettext_lazy("Suspend"),
    "resume": gettext_lazy("Resume"),
    "archive": gettext_lazy("Archive (read-only)"),
}

# Statuses whose district has a schema worth exporting.


def district_actions_allowed(district: District) -> list[str]:
    """The status changes that may be made from the district's current status, in display order."""
    return [verb for verb, (sources, _target) in TRANSITIONS.items() if district.status in sources]


def _status_change(*, actor: StaffActor, district: District, verb: str, reason: str) -> District:
    with public_context():  # District rows are saved from the public schema only
        return _status_change_public(actor=actor, district=district, verb=verb, reason=reason)


def _status_change_public(*, actor: StaffActor, district: District, verb: str, reason: str) -> District:
    sources, target = TRANSITIONS[verb]
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Write why; the reason is kept with the district.")]})
    locked = District.objects.select_for_update().get(pk=district.pk)
    if locked.status not in sources:
        raise ValidationError(
            _("%(district)s is %(status)s; it cannot be %(verb)s from that status.")
            % {
                "district": locked.name,
                "status": locked.get_status_display().lower(),
                "verb": {"suspend": _("suspended"), "resume": _("resumed"), "archive": _("archived")}[verb],
            },
            code="transition",
        )
    previous = locked.status
    locked.status = target
    locked.status_reason = reason
    locked.status_changed_at = timezone.now()
    # save() fires the signal that clears this process's host cache (now and on commit).
    locked.save(update_fields=["status", "status_reason", "status_changed_at", "updated_at"])
    details = {"from": previous, "to": target, "reason": reason}
    if verb == "suspend":
        details["sessions_ended"] = _sessions_end(locked)
    audit_record(actor=actor, action=f"district.{verb}", district=locked, target=locked.name, details=details)
    transaction.on_commit(host_cache_clear)
    return locked


def _sessions_end(district: District) -> int:
    """Empty the district's own session table: everyone signed in there is signed out at once."""
    with district_context(district.schema_name):
        deleted, _per_model = Session.objects.all().delete()
    return deleted


@transaction.atomic
def district_suspend(*, actor: StaffActor, district: District, reason: str) -> District:
    """LIVE → SUSPENDED. Signs everyone out of the district and refuses sign-ins; keeps all data.

    Raises ValidationError for a blank reason or a district that is not live.
    """
    return _status_change(actor=actor, district=district, verb="suspend", reason=reason)


@transaction.atomic
def district_resume(*, actor: StaffActor, district: District, reason: str) -> District:
    """SUSPENDED or ARCHIVED → LIVE: sign-ins and changes are accepted again."""
    return _status_change(actor=actor, district=district, verb="resume", reason=reason)


@transaction.atomic
def district_archive(*, actor: StaffActor, district: District, reason: str) -> District:
    """LIVE or SUSPENDED → ARCHIVED: officers may sign in and read; nothing can be changed."""
    return _status_change(actor=actor, district=district, verb="archive", reason=reason)


@transaction.atomic
def district_delete_irreversibly(*, actor: StaffActor | None, district: District, export_id) -> dict:
    """Drop the district's schema, its files and its Domain and District rows. Cannot be undone.

    Only ``manage.py district_delete`` calls this, after it has checked that the district is
    suspended or archived and that a verified export (``export_id``) holds exactly its current
    data. The audit event keeps the district's slug (its foreign key goes null with the row).
    The files go last, after the rows and schema are gone in this transaction, so a failure
    before that leaves everything in place.
    """
    with public_context():
        return _delete_public(actor=actor, district=district, export_id=export_id)


def _delete_public(*, actor: StaffActor | None, district: District, export_id) -> dict:
    locked = District.objects.select_for_update().get(pk=district.pk)
    if locked.status not in (Status.SUSPENDED, Status.ARCHIVED):
        raise ValidationError(_("Only a suspended or archived district can be deleted."))
    summary = {
        "slug": locked.slug,
        "schema": locked.schema_name,
        "name": locked.name,
        "export": str(export_id),
        "domains": list(locked.domains.values_list("domain", flat=True)),
    }
    audit_record(
        actor=actor,
        action="district.delete",
        district=None,
        district_slug=locked.slug,
        target=locked.name,
        details=summary,
    )
    schemas.schema_drop(locked.schema_name)
    locked.domains.all().delete()
    locked.delete()
    media = district_media_dir(summary["schema"])

    def _remove_files() -> None:
        shutil.rmtree(media, ignore_errors=True)

    transaction.on_commit(_remove_files)
    return summary
