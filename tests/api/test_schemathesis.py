"""Schemathesis, driven by the committed schemas, against a live server: every operation of the
district API (as a clerk with a read-write token) and of the state API (as platform staff),
generated valid and invalid inputs; no 5xx, every response as the schema says. Bounded: a few
examples per operation and a time budget, about two minutes in all."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.live import PROJECT, live  # noqa: F401 -- the fixture

CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def _run(schema: str, base: str, host: str, token: str, report: Path) -> dict:
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "st"),
            "run",
            str(PROJECT / "docs" / schema),
            "--url",
            base,
            "-H",
            f"Host: {host}",
            "-H",
            f"Authorization: Bearer {token}",
            "--checks",
            CHECKS,
            "--max-examples",
            "8",
            "--max-time",
            "45",
            "--seed",
            "20",
            "--phases",
            "examples,coverage,fuzzing",
            "--generation-deterministic",
            "--request-timeout",
            "30",
            "--no-color",
            "--report",
            "ndjson",
            "--report-ndjson-path",
            str(report),
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    print(result.stdout[-6000:])
    return {"returncode": result.returncode, "stdout": result.stdout}


@pytest.mark.parametrize(
    ("schema", "who"), [("openapi-district.yaml", "clerk"), ("openapi-state.yaml", "staff")]
)
def test_schemathesis_finds_no_5xx_and_no_response_off_schema(live, schema, who, tmp_path):  # noqa: F811
    base, district_host, tokens, log, _posts = live
    host = district_host if who != "staff" else district_host.split(".", 1)[1]
    outcome = _run(schema, base, host, tokens[who], tmp_path / "events.ndjson")
    if outcome["returncode"] != 0:
        log.seek(0)
        print(log.read().decode()[-8000:])
    assert outcome["returncode"] == 0, outcome["stdout"][-3000:]
