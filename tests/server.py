"""The site in a process of its own for tests that talk to it over HTTP (browser journeys, the API's
live runs, the dev server's connections): ``manage.py runserver`` on a free port of 127.0.0.1,
against the test database, waited for until it accepts connections."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.helpers import database_url_of_test_db

PROJECT = Path(__file__).resolve().parents[1]
START_SECONDS = 120  # a loaded machine (tests and benchmarks beside) can take a minute to start it


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(**extra) -> dict:
    """The environment of a process of the project on the test database: the test process's queue
    and cache names are in os.environ (settings_test), so the server, a consumer and the test all
    share them."""
    return {
        **os.environ,
        "DATABASE_URL": database_url_of_test_db(),
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        **extra,
    }


@contextlib.contextmanager
def runserver(*options: str, port: int | None = None, threads: bool = False, env: dict | None = None):
    """``runserver`` without the auto-reloader (and, unless ``threads``, without threads), with
    ``options`` after the address, on ``port`` (a free one by default) and in ``env`` (by default
    ``server_env(KARYALAY_PUBLIC_PORT=port)``). Yields ``(port, log)``: ``log`` is the server's
    stderr, a file rather than a pipe, since nobody reads it while the tests run and a full pipe
    would block the server at its next log line. Fails the test if the server exits or does not
    accept a connection within ``START_SECONDS``; terminates it afterwards."""
    port = port or free_port()
    if env is None:
        env = server_env(KARYALAY_PUBLIC_PORT=str(port))
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    if not threads:
        command.append("--nothreading")
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [*command, *options], cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=log
        )
        try:
            _wait_for(port, server, log)
            yield port, log
        finally:
            server.terminate()
            server.wait(timeout=10)


def _wait_for(port: int, server: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if server.poll() is not None:
                log.seek(0)
                pytest.fail(f"runserver exited: {log.read().decode()}")
            time.sleep(0.2)
    log.seek(0)
    pytest.fail(f"runserver did not start within {START_SECONDS} s: {log.read().decode()}")
