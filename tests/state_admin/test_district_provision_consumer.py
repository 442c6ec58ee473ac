"""Onboarding through the real background path: a huey consumer process runs the provisioning
task while the state console's progress page is read, as the state IT department would see it."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_exists

from state_admin.services.provisioning import DistrictSpec
from state_admin.tasks.provisioning import district_provision_enqueue
from tenants.models import District
from tenants.roles import roles
from tests.helpers import HostClient, database_url_of_test_db, district_remove, sign_in_refused

PROJECT = Path(__file__).resolve().parents[2]


def _as_user(url: str, user: str) -> str:
    """The same database URL for another role, without a password (the test server trusts)."""
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{user}@{rest.split('@', 1)[-1]}"


@pytest.fixture(params=["superuser", "app role"])
def consumer(request, world, django_db_blocker):
    """A consumer connecting as the suite's superuser, or as in production: as the app role, with
    the owner role's URL for provisioning (tenants/roles.py)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_test_db(),
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
    }
    if request.param == "app role":
        with django_db_blocker.unblock():
            call_command("db_roles", verbosity=0)
        names = roles()
        env["DATABASE_URL"] = _as_user(env["DATABASE_URL"], names.app)
        env["KARYALAY_OWNER_DATABASE_URL"] = _as_user(env["DATABASE_URL"], names.owner)
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
        process.as_app_role = request.param == "app role"
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
    if consumer.as_app_role:  # made by the owner; its audit trail append-only for the app role
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_get_userbyid(relowner), has_table_privilege(%s, oid, 'INSERT'),"
                " has_table_privilege(%s, oid, 'UPDATE, DELETE, TRUNCATE') FROM pg_class"
                " WHERE oid = 'east_champaran.core_auditevent'::regclass",
                [roles().app, roles().app],
            )
            assert cursor.fetchone() == (roles().owner, True, False)
    # Other districts' users cannot read the state console's progress page.
    officer = HostClient(None)
    assert sign_in_refused(officer.sign_in("sdpo.mahua"))
    assert officer.get("/districts/east-champaran/provisioning/").status_code == 302
