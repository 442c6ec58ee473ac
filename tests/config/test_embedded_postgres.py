"""Smoke test of the embedded default: no DATABASE_URL, no REDIS_URL, a fresh data folder."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.embedded


def _run(args: list[str], env: dict) -> str:
    result = subprocess.run(
        [sys.executable, *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_project_starts_its_own_postgres_and_provisions_a_district(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["KARYALAY_DATA_DIR"] = str(tmp_path / "data")
    try:
        _run(["manage.py", "migrate", "--verbosity", "0"], env)
        out = _run(["manage.py", "provision_district", "smoke", "--name", "Smoke", "--name-hi", "धुआँ"], env)
        assert "Smoke: live, schema smoke" in out
        out = _run(
            [
                "manage.py",
                "shell",
                "-c",
                "from django.db import connection; from django.conf import settings; "
                "print(connection.settings_dict['HOST']); print(settings.HUEY['huey_class']); "
                "from tenants.models import District; print(District.objects.get(slug='smoke').status)",
            ],
            env,
        )
        host, huey_class, status = out.split()[-3:]
        assert host.startswith(str(tmp_path)) or host.startswith("/tmp")  # a Unix socket, not a TCP server
        assert huey_class == "huey.SqliteHuey"
        assert status == "live"
        assert (tmp_path / "data" / "postgres" / "PG_VERSION").exists()
    finally:
        _run(["-m", "config.embedded_postgres", "stop"], env)
    status = subprocess.run(
        [sys.executable, "-m", "config.embedded_postgres", "status"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert status.returncode == 3 and status.stdout.startswith("stopped")
