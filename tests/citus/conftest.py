"""Tests that need a Citus cluster (issue 21; ``make citus``, deploy/citus/cluster.sh).

They are collected only when ``DATABASE_URL`` names a server that preloads Citus: the cluster run
of ``.ci/run`` does, and there every one of them must pass. Any other run does not collect this
folder at all (it has no cluster to run them against); it is not a skip that could hide a failure.
"""

import os
import subprocess
from pathlib import Path

import psycopg
import pytest


def _server_loads_citus() -> bool:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return False
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            return bool(
                conn.execute(
                    "SELECT current_setting('shared_preload_libraries') ~ '(^|[ ,])citus($|[ ,])'"
                ).fetchone()[0]
            )
    except psycopg.Error:
        return False


ON_CITUS = _server_loads_citus()
collect_ignore_glob = [] if ON_CITUS else ["test_*.py"]

CLUSTER = Path(__file__).resolve().parents[2] / "deploy" / "citus" / "cluster.sh"


def cluster(*args: str) -> None:
    """Run deploy/citus/cluster.sh (stop or start one worker)."""
    subprocess.run([str(CLUSTER), *args], check=True, timeout=120)


@pytest.fixture
def worker_back():
    """Starts again, after the test, any worker the test stopped."""
    stopped: list[str] = []
    yield stopped
    for port in stopped:
        cluster("node-start", port)
