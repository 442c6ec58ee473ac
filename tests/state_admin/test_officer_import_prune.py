"""Uploaded officer files (personal data) do not outlive the import that needs them."""

import datetime
import os

import pytest
from django.utils import timezone

from state_admin.models import ImportJob
from state_admin.services.officer_import import KEEP_UNRUN_DAYS, import_files_prune
from state_admin.tasks.imports import officer_import_task
from tests.state_admin.test_officer_import import (  # noqa: F401  (fixtures)
    csv_bytes,
    job_of,
    media,
    officer,
    places,
    stored_files,
    upload,
)

pytestmark = pytest.mark.django_db


def test_files_of_imports_never_run_go_after_a_week_and_the_job_says_so(
    places, staff_client, settings, django_capture_on_commit_callbacks
):
    old = job_of(upload(staff_client, csv_bytes([officer(1)])))
    fresh = job_of(upload(staff_client, csv_bytes([officer(2)])))
    ImportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=KEEP_UNRUN_DAYS + 1)
    )
    week_ago = (timezone.now() - datetime.timedelta(days=KEEP_UNRUN_DAYS + 1)).timestamp()
    os.utime(settings.MEDIA_ROOT / "state" / "imports" / old.stored_name, (week_ago, week_ago))
    stray = settings.MEDIA_ROOT / "state" / "imports" / "left-behind.csv"
    stray.write_bytes(b"login_id\n")
    os.utime(stray, (week_ago, week_ago))

    with django_capture_on_commit_callbacks(execute=True):  # files go once the job rows commit
        assert import_files_prune() == 2
    old.refresh_from_db()
    assert old.stored_name == "" and "removed" in old.message
    assert [path.name for path in stored_files(settings)] == [fresh.stored_name]

    # Running the pruned job asks for the file again instead of failing obscurely.
    assert staff_client.post(f"/imports/{old.pk}/run/").status_code == 302
    assert officer_import_task.call_local(str(old.pk)) is False
    old.refresh_from_db()
    assert old.status == ImportJob.Status.FAILED and "upload it again" in old.message


def test_a_job_that_is_running_or_done_is_left_alone(places, staff_client, settings):
    job = job_of(upload(staff_client, csv_bytes([officer(3)])))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, created_at=timezone.now() - datetime.timedelta(days=30)
    )
    assert import_files_prune() == 0
    job.refresh_from_db()
    assert job.stored_name and [p.name for p in stored_files(settings)] == [job.stored_name]
