"""docs/api-example.py runs against a live server: a letter diarised, its scan uploaded, a file
opened for it and sent to the SDPO's post, all with the clerk's token; the SDPO's inbox has it."""

import json
import subprocess
import sys
import urllib.request

from tests.api.live import PROJECT, live  # noqa: F401 -- the fixture
from tests.core.efile import samples


def _example(base: str, host: str, token: str, tmp_path, *args: str) -> subprocess.CompletedProcess:
    """docs/api-example.py run with ``token`` on a one-page scan, and ``args``."""
    scan = tmp_path / "letter.pdf"
    scan.write_bytes(samples.pdf_bytes())
    return subprocess.run(
        [
            sys.executable,
            str(PROJECT / "docs" / "api-example.py"),
            *("--base", base, "--host", host, "--token", token, "--scan", str(scan)),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_example_client_diarises_uploads_and_sends(live, tmp_path):  # noqa: F811
    base, host, tokens, _log, posts = live
    result = _example(base, host, tokens["clerk"], tmp_path, "--to-post", str(posts["sdpo"].pk))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "diarised" in result.stdout and f"file sent to post {posts['sdpo'].pk}" in result.stdout
    request = urllib.request.Request(  # noqa: S310
        base + "/api/v1/inbox/", headers={"Host": host, "Authorization": f"Bearer {tokens['sdpo']}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        inbox = json.load(response)["results"]
    number = result.stdout.split("file opened ", 1)[1].split()[0]
    assert [row["number"] for row in inbox if row["kind"] == "file"] == [number]


def test_the_example_client_reports_a_refused_token_with_its_code(live, tmp_path):  # noqa: F811
    base, host, _tokens, _log, posts = live
    result = _example(base, host, "kya_not-a-token", tmp_path, "--to-post", "1", "--language", "hi")
    assert result.returncode != 0 and "401 authentication_failed" in result.stderr
