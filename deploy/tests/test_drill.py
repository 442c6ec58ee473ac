"""The point-in-time recovery drill (deploy/drill.sh) run for real: pgBackRest, a scratch
PostgreSQL of its own, SIGKILL, restore to T, exactly the writes acknowledged before T.

Not under tests/ (so not in ``make test``): ``.ci/run`` installs pgBackRest and runs this file.
Where the drill cannot run (no pgbackrest, no PostgreSQL server binaries) it FAILS with the reason;
it is never skipped.

    .venv/bin/python -m pytest deploy/tests/test_drill.py -q -s
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


def test_drill_restores_exactly_the_writes_acknowledged_before_t():
    if shutil.which("pgbackrest") is None:
        pytest.fail("pgbackrest is not installed: as root, apt-get install -y pgbackrest (.ci/run does)")
    done = subprocess.run(["deploy/drill.sh"], cwd=PROJECT, capture_output=True, text=True, timeout=900)
    output = done.stderr.splitlines() + done.stdout.splitlines()
    lines = [line for line in output if line.startswith("drill:")]
    print("\n".join(lines))
    assert done.returncode == 0, "\n".join(lines) + "\n" + done.stderr[-4000:]
    report = done.stdout
    assert re.search(r"exactly the \d+ writes acknowledged before T came back, none of the \d+ after", report)
    assert re.search(r"recovery point gap: [\d.]+ s", report)
    assert re.search(r"restore time: [\d.]+ s", report)
    assert "one district to T beside the live one" in report
