"""Asking for a district's export and downloading it: the console's side of an ``ExportJob``.

``district_export_request`` (state console, platform staff) records the job and enqueues its
build (``state_admin.tasks.exports``, which runs ``export.district_export_build``) once the
transaction commits; ``district_export_download_record`` audits a download of the finished
archive. Kept apart from the build so that the task imports the build and this module the task,
with no import loop between them.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from state_admin.models import ExportJob
from state_admin.services.audit import StaffActor, audit_record
from state_admin.services.export import export_path
from state_admin.tasks.exports import district_export_task
from tenants.models import District


@transaction.atomic
def district_export_request(*, actor: StaffActor, district: District) -> ExportJob:
    """Record an export of ``district`` and enqueue its build once this transaction commits.

    Platform staff only. Raises ValidationError for a district that has no data yet.
    """
    if not district.has_schema:
        raise ValidationError(_("%(name)s has no data to export yet.") % {"name": district.name})
    job = ExportJob.objects.create(district=district, district_slug=district.slug, created_by=actor.user)
    audit_record(actor=actor, action="district.export", district=district, target=str(job.pk), details={})
    transaction.on_commit(lambda: district_export_task(str(job.pk)))
    return job


@transaction.atomic
def district_export_download_record(*, actor: StaffActor, job: ExportJob) -> Path:
    """Audit a download of a finished export and return the archive's path (staff only)."""
    path = export_path(job)
    if job.status != ExportJob.Status.DONE or path is None or not path.is_file():
        raise ValidationError(_("This export is not ready to download."))
    audit_record(
        actor=actor,
        action="district.export_download",
        district=job.district,
        district_slug=job.district_slug,
        target=str(job.pk),
        details={"sha256": job.sha256, "size": job.size},
    )
    return path
