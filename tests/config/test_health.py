"""/healthz and /readyz answer on any Host (a pod IP too) before the Host is checked, and nothing
else does; /readyz names the dependency that is down (issue 19, point 3)."""

import functools
import json
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config import health, heartbeat
from tests.helpers import HostClient

pytestmark = pytest.mark.django_db

POD_IP = "10.244.3.17:8000"


@pytest.fixture
def beat():
    heartbeat.heartbeat_write()
    yield
    heartbeat.heartbeat_write(now=0)


def test_healthz_answers_on_a_pod_ip_without_a_query(world):
    with CaptureQueriesContext(connection) as queries:
        response = HostClient(host=POD_IP).get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    assert queries.captured_queries == []


@pytest.mark.parametrize("host", [POD_IP, "127.0.0.1", "vaishali.localhost", "localhost", "nowhere.example"])
def test_readyz_answers_on_any_host(world, beat, host):
    response = HostClient(host=host).get("/readyz")
    assert response.status_code == 200, response.content
    body = json.loads(response.content)
    assert body["status"] == "ok"
    # Redis is checked where REDIS_URL is set (the machine's services); the embedded default has none.
    redis = "ok" if settings.REDIS_URL else "not configured"
    assert body["checks"] == {"database": "ok", "redis": redis, "consumer": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/healthz/", "/readyz/x", "/search/", "/admin/"])
def test_a_pod_ip_gets_nothing_else(world, path):
    response = HostClient(host=POD_IP).get(path)
    assert response.status_code == 400
    assert b"Vaishali" not in response.content and b"database" not in response.content


def test_probes_refuse_other_methods(world):
    response = HostClient(host=POD_IP).post("/readyz")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


def test_readyz_says_the_consumer_is_down_when_no_heartbeat(world):
    heartbeat.heartbeat_write(now=time.time() - 75)
    response = HostClient(host=POD_IP).get("/readyz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["down"] == ["consumer"]
    assert body["checks"]["consumer"].startswith("last heartbeat 75 s ago")
    assert body["checks"]["database"] == "ok"


def test_readyz_says_redis_is_down(world, beat, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = HostClient(host=POD_IP).get("/readyz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["down"] == ["redis"]
    assert body["checks"]["redis"].startswith("unreachable: ConnectionError")


def test_readyz_without_redis_configured_does_not_count_it(world, beat, settings):
    settings.REDIS_URL = ""
    body = json.loads(HostClient(host=POD_IP).get("/readyz").content)
    assert body["checks"]["redis"] == "not configured" and body["status"] == "ok"


def test_readyz_says_the_database_is_down(world, beat, monkeypatch):
    """A real connection attempt to a port where no PostgreSQL listens."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    options = {k: v for k, v in connection.settings_dict["OPTIONS"].items() if k != "pool"}
    options["connect_timeout"] = 2
    dead = DatabaseWrapper(
        {**connection.settings_dict, "PORT": "1", "HOST": "127.0.0.1", "OPTIONS": options}, "dead"
    )
    monkeypatch.setitem(health.CHECKS, "database", functools.partial(health.database_check, using=dead))
    response = HostClient(host=POD_IP).get("/readyz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["down"] == ["database"]
    assert body["checks"]["database"] == "unreachable: OperationalError"


def test_heartbeat_task_runs_through_huey_and_writes_the_beat(world):
    from huey.contrib.djhuey import HUEY

    from config.health_tasks import consumer_heartbeat_periodic_task

    heartbeat.heartbeat_write(now=0)
    HUEY.immediate = True
    try:
        consumer_heartbeat_periodic_task()
    finally:
        HUEY.immediate = False
    assert heartbeat.heartbeat_age() < 5


def test_consumer_alive_command_checks_the_heartbeat(world):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    heartbeat.heartbeat_write(now=time.time() - 300)
    with pytest.raises(CommandError, match="300 s"):
        call_command("consumer_alive")
    heartbeat.heartbeat_write()
    call_command("consumer_alive")


def test_the_web_probe_can_leave_the_consumer_out(world):
    """A dead worker must not take every web pod out of service."""
    heartbeat.heartbeat_write(now=0)
    response = HostClient(host=POD_IP).get("/readyz", {"without": "consumer"})
    assert response.status_code == 200
    assert "consumer" not in json.loads(response.content)["checks"]
    # Leaving out a check that does not exist leaves out nothing.
    assert HostClient(host=POD_IP).get("/readyz", {"without": "everything"}).status_code == 503
