"""Structured logs: one JSON line per request with the request id, district, user, path, status
and duration; huey tasks with their task id; and no password, token, session key or document
text in any line (issue 19, point 3)."""

import io
import json
import logging

import pytest

from config.logging_json import ContextFilter, JsonFormatter, ScrubFilter, TextFormatter, logging_config
from tests.helpers import PASSWORD, HostClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines():
    """Every record any logger emits during the test, through the project's own filters and JSON
    formatter; returns a function giving the parsed lines (and the raw text)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    handler.addFilter(ScrubFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)

    def read():
        text = stream.getvalue()
        return [json.loads(line) for line in text.splitlines() if line.startswith("{")], text

    yield read
    root.removeHandler(handler)
    root.setLevel(level)


def _request_lines(parsed):
    return [line for line in parsed if line["logger"] == "karyalay.requests"]


def test_request_line_carries_id_district_user_path_status_duration(world, lines):
    client = HostClient("vaishali")
    client.sign_in("sdpo.mahua")
    response = client.get("/search/", {"q": "secret name"}, HTTP_X_REQUEST_ID="probe-123.abc")
    assert response["X-Request-ID"] == "probe-123.abc"
    line = _request_lines(lines()[0])[-1]
    assert line["request_id"] == "probe-123.abc"
    assert line["district"] == "vaishali"
    assert line["user_id"] == world.vaishali_officer.pk
    assert line["path"] == "/search/" and "secret name" not in json.dumps(line)  # no query string
    assert line["status"] == 200 and line["method"] == "GET" and line["view"] == "search"
    assert line["duration_ms"] > 0 and line["queries"] > 0
    # The time in the database and the thread's CPU time: parts of the request's time.
    assert 0 < line["sql_ms"] <= line["duration_ms"] and 0 < line["cpu_ms"] <= line["duration_ms"] + 1
    assert line["level"] == "INFO" and line["time"].endswith("Z")


@pytest.mark.parametrize("given", ["", "x" * 65, "evil\nline", "a b", "<script>", "ÿ"])
def test_an_implausible_request_id_is_replaced(world, lines, given):
    response = HostClient("vaishali").get("/accounts/login/", HTTP_X_REQUEST_ID=given)
    made = response["X-Request-ID"]
    assert made != given and len(made) == 32
    assert _request_lines(lines()[0])[-1]["request_id"] == made


def test_sign_in_logs_no_password_session_or_csrf_token(world, lines):
    client = HostClient("vaishali")
    client.sign_in("sdpo.mahua", PASSWORD)
    client.post("/accounts/login/", {"login": "sdpo.mahua", "password": "Wrong-Pass-Guess-42"})
    session_key = client.cookies["karyalay_session"].value
    _parsed, text = lines()
    assert PASSWORD not in text and "Wrong-Pass-Guess-42" not in text
    assert session_key not in text


def test_scrub_filter_removes_secrets_from_every_part_of_a_record(lines):
    log = logging.getLogger("karyalay.test")
    log.info(
        "login password=%s with Authorization: Bearer-abc sessionid=%s",
        "hunter2-secret",
        "s3ss10nk3y",
        extra={
            "session_key": "sk-value",
            "token": "tok-value",
            "form": {"password1": "pw-value", "login": "sdpo.mahua", "nested": [{"api_key": "ak-value"}]},
            "page_text": "FIR 123/2025 confession text",
            "status_code": 200,
        },
    )
    log.warning('payload {"csrfmiddlewaretoken": "csrf-value", "subject": "ok"}')
    parsed, text = lines()
    for secret in (
        "hunter2-secret",
        "s3ss10nk3y",
        "sk-value",
        "tok-value",
        "pw-value",
        "ak-value",
        "confession",
        "csrf-value",
        "Bearer-abc",
    ):
        assert secret not in text, secret
    first = parsed[0]
    assert first["form"]["login"] == "sdpo.mahua" and first["status_code"] == 200
    assert first["session_key"] == first["token"] == first["page_text"] == "[scrubbed]"
    assert '"subject": "ok"' in parsed[1]["message"]


def test_an_exception_traceback_is_scrubbed_too(lines):
    log = logging.getLogger("karyalay.test")
    try:
        raise ValueError("bad token=abc123secret")
    except ValueError:
        log.exception("failed")
    parsed, text = lines()
    assert "abc123secret" not in text and "ValueError" in parsed[0]["exception"]


def test_huey_task_lines_carry_the_task_id_and_outcome(world, lines):
    from huey.contrib.djhuey import HUEY

    from config.health_tasks import consumer_heartbeat_task

    HUEY.immediate = True
    try:
        result = consumer_heartbeat_task()
    finally:
        HUEY.immediate = False
    line = [p for p in lines()[0] if p["logger"] == "karyalay.tasks"][-1]
    assert line["task_id"] == result.id
    assert line["task"] == "consumer_heartbeat_task"
    assert line["outcome"] == "complete" and line["duration_ms"] >= 0


def test_production_logs_are_json_and_local_ones_readable():
    assert logging_config(json_lines=True, level="INFO")["handlers"]["console"]["formatter"] == "json"
    record = logging.LogRecord("karyalay.requests", logging.INFO, __file__, 1, "GET %s", ("/x",), None)
    record.status = 200
    text = TextFormatter().format(record)
    assert "INFO" in text and "GET /x" in text and "status=200" in text
    assert json.loads(JsonFormatter().format(record))["status"] == 200
