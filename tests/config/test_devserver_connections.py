"""``make run``'s web server (threaded runserver, a thread for every client connection) must not
leave a database connection open per thread: with ``KARYALAY_CONN_MAX_AGE=600`` the probe of
issue 14 saw it hold 87-89 connections until PostgreSQL answered "too many clients".

The settings test below is the one that failed before the fix (runserver got CONN_MAX_AGE=600).
The server test measures the outcome: on this machine Django 5.2's runserver did not pile up
connections even before the fix (each connection's thread closes its database connections when
the client goes), so it guards the figure rather than reproducing the probe's count.
"""

import http.client
import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from tests.server import PROJECT, runserver, server_env

CLIENTS = 20

pytestmark = pytest.mark.django_db


def _server_connections(application_name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            [application_name],
        )
        return cursor.fetchone()[0]


def _open(port: int, path: str) -> http.client.HTTPConnection:
    """One request on a connection of its own, kept open afterwards as a browser keeps it
    (HTTP/1.1 keep-alive): runserver serves each connection in a thread of its own, which lives
    as long as the connection does."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Host": f"vaishali.{settings.ROOT_DOMAIN}:{port}"})
    response = conn.getresponse()
    response.read()
    assert response.status == 200
    assert response.getheader("Connection", "").lower() != "close", "runserver closed the connection"
    return conn


def _settle(application_name: str, expected_at_most: int) -> int:
    # A thread closes its connection when its request finishes, just after the answer is sent.
    deadline = time.monotonic() + 5
    while (count := _server_connections(application_name)) > expected_at_most and time.monotonic() < deadline:
        time.sleep(0.1)
    return count


def test_the_threaded_dev_server_keeps_no_connection_per_thread(world):
    application_name = f"karyalay-devserver-test-{uuid.uuid4().hex[:8]}"
    env = server_env(
        KARYALAY_CONN_MAX_AGE="600",  # the setting the probe ran with
        PGAPPNAME=application_name,  # libpq names every connection the server opens
    )
    # As config.devserver starts it: threaded (the default), here without the auto-reloader.
    with runserver(threads=True, env=env) as (port, _log):
        # The sign-in page writes a session (the CSRF token lives there): every request
        # touches the database.
        _open(port, "/accounts/login/").close()
        before = _settle(application_name, 1)
        held = [_open(port, "/accounts/login/") for _ in range(CLIENTS)]
        during = _settle(application_name, before)
        for conn in held:
            conn.close()
    assert during <= before <= 1, (
        f"{during} database connections for {CLIENTS} open clients ({before} before)"
    )


def _settings_value(argv: list[str], expression: str, **env: str) -> str:
    code = (
        f"import sys; sys.argv = {argv!r}\n"
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        f"print({expression})\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def test_runserver_never_keeps_persistent_connections_and_other_commands_do():
    conn_max_age = "settings.DATABASES['default']['CONN_MAX_AGE']"
    env = {"KARYALAY_CONN_MAX_AGE": "600", "KARYALAY_DB_POOL_MAX": "0"}  # no pool
    assert _settings_value(["manage.py", "runserver", "127.0.0.1:8000"], conn_max_age, **env) == "0"
    assert _settings_value(["manage.py", "run_huey"], conn_max_age, **env) == "600"
    assert _settings_value(["gunicorn", "config.wsgi"], conn_max_age, **env) == "600"


def test_with_the_pool_gunicorn_and_huey_take_connections_from_a_pool_of_its_size():
    pool = "settings.DATABASES['default']['OPTIONS']['pool']['max_size']"
    conn_max_age = "settings.DATABASES['default']['CONN_MAX_AGE']"
    env = {"KARYALAY_CONN_MAX_AGE": "600", "KARYALAY_DB_POOL_MAX": "3"}
    for argv in (["manage.py", "run_huey"], ["gunicorn", "config.wsgi"]):
        assert _settings_value(argv, pool, **env) == "3"
        assert _settings_value(argv, conn_max_age, **env) == "0"
    # The development server keeps nothing open between requests: no pool.
    runserver = ["manage.py", "runserver", "127.0.0.1:8000"]
    no_pool = "settings.DATABASES['default']['OPTIONS'].get('pool')"
    assert _settings_value(runserver, no_pool, **env) == "None"
    assert _settings_value(runserver, conn_max_age, **env) == "0"


def _gunicorn_config(**env: str) -> dict:
    import runpy

    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        return runpy.run_path(str(PROJECT / "deploy" / "gunicorn.conf.py"))
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_gunicorn_holds_at_most_workers_times_its_pool_connections():
    # gthread: a fixed pool of threads per worker; each thread holds a connection while it serves.
    config = _gunicorn_config(GUNICORN_WORKERS="5", GUNICORN_THREADS="4", KARYALAY_DB_POOL_MAX="0")
    assert config["worker_class"] == "gthread"
    assert config["DATABASE_CONNECTIONS_MAX"] == 20 == config["workers"] * config["threads"]
    # With a pool smaller than the threads, the pool bounds each worker.
    config = _gunicorn_config(GUNICORN_WORKERS="5", GUNICORN_THREADS="4", KARYALAY_DB_POOL_MAX="2")
    assert config["DATABASE_CONNECTIONS_MAX"] == 10
