"""A live server for the API's runs (schemathesis, the example client): runserver in its own
process on the test database, and a district made for the run (committed, removed afterwards)
where the session's clerk and SDPO hold posts, with committed tokens for them."""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection

from tenants.api_tokens import api_token_create
from tenants.models import ApiToken
from tests.core.efile.conftest import committed_desk
from tests.helpers import database_url_of_test_db

PROJECT = Path(__file__).resolve().parents[2]
SLUG = "apirun"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(**extra) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url_of_test_db(),
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        **extra,
    }


@pytest.fixture(scope="module")
def live(world, django_db_blocker, tmp_path_factory):
    """(base URL, host of the run's district, {"clerk": token, "sdpo": token, "staff": token}, the
    server's log file, {"clerk": post, "sdpo": post})."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        committed_desk(world, slug=SLUG, name="API run") as (district, _a, posts),
    ):
        connection.set_schema_to_public()
        tokens = {
            "clerk": api_token_create(
                person=world.vaishali_clerk, district=district, name="run", scope="read-write", days=1
            )[1],
            "sdpo": api_token_create(
                person=world.vaishali_officer, district=district, name="run", scope="read-write", days=1
            )[1],
            "staff": api_token_create(person=world.staff, district=None, name="run", scope="read", days=1)[1],
        }
        port = _free_port()
        env = _env(KARYALAY_PUBLIC_PORT=str(port), KARYALAY_MEDIA_ROOT=str(media))
        with tempfile.TemporaryFile() as log:
            server = subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "runserver",
                    f"127.0.0.1:{port}",
                    "--noreload",
                    "--nothreading",
                ],
                cwd=PROJECT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
            try:
                _wait_for(port, server, log)
                yield f"http://127.0.0.1:{port}", f"{SLUG}.localhost:{port}", tokens, log, posts
            finally:
                server.terminate()
                server.wait(timeout=10)
                ApiToken.objects.filter(name="run").delete()


def _wait_for(port: int, server, log) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if server.poll() is not None:
                log.seek(0)
                pytest.fail(f"runserver exited: {log.read().decode()}")
            time.sleep(0.2)
    pytest.fail("runserver did not start")
