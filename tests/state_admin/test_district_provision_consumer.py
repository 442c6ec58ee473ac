"""Onboarding through the real background path: a huey consumer process runs the provisioning
task while the state console's progress page is read, as the state IT department would see it."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django_tenants.utils import schema_exists

from state_admin.services.provisioning import DistrictSpec
from state_admin.tasks.provisioning import district_provision_enqueue
from tenants.models import District
from tests.helpers import HostClient, database_url_of_test_db, district_remove, sign_in_refused

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture
def consumer(world, django_db_blocker):
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_test_db(),
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
    }
    # A file, not a pipe: a full pipe would block the consumer at its next log line.
    with tempfile.TemporaryFile() as log, django_db_blocker.unblock():
        process = subprocess.Popen(
            [sys.executable, "manage.py", "run_huey", "--workers", "1", "--quiet"],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        process.log = log
        yield process
        process.terminate()
        process.wait(timeout=20)
        district_remove("east-champaran")


def test_consumer_provisions_while_the_progress_page_follows(consumer):
    staff = HostClient(None)
    staff.sign_in("state.staff")
    district_provision_enqueue(
        spec=DistrictSpec(slug="east-champaran", name="East Champaran", name_hi="पूर्वी चंपारण")
    )
    seen = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        progress = staff.get("/districts/east-champaran/provisioning/").json()
        seen.append(progress["state"])
        if progress["state"] in ("done", "failed"):
            break
        time.sleep(0.1)
    consumer.log.seek(0)
    assert seen[-1] == "done", (seen, consumer.log.read()[-4000:].decode(errors="replace"))
    assert District.objects.get(slug="east-champaran").status == District.Status.LIVE
    assert schema_exists("east_champaran")
    # Other districts' users cannot read the state console's progress page.
    officer = HostClient(None)
    assert sign_in_refused(officer.sign_in("sdpo.mahua"))
    assert officer.get("/districts/east-champaran/provisioning/").status_code == 302
