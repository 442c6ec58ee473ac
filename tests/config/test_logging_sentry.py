"""Error reports go to Sentry only where SENTRY_DSN is set, tagged with the district and the
person's id, without secrets (issue 19, point 3). The "Sentry" here is a local HTTP server the
test starts, which records what the SDK's real transport sends it."""

import gzip
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
import sentry_sdk

from config.logging_requests import current_request
from config.logging_sentry import sentry_init


class _Sentry(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_sentry():
    _Sentry.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Sentry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, _Sentry.received
    client = sentry_sdk.get_client()
    if client.is_active():
        client.close(timeout=2)
    sentry_sdk.get_global_scope().set_client(None)
    server.shutdown()
    server.server_close()


def _fail(password: str, page_text: str):
    token = "tok-" + password  # noqa: F841 (a local variable the report's frames would carry)
    raise RuntimeError("the office printer caught fire")


def _capture_in_a_request(password: str = "", text: str = ""):
    """Capture an error raised with ``password`` and ``text`` in the frames' variables (made at
    run time: the report's source lines must not be what carries them)."""
    request = SimpleNamespace(
        tenant=SimpleNamespace(schema_name="vaishali"),
        user=SimpleNamespace(pk=4242, is_authenticated=True),
        request_id="req-77",
    )
    reset = current_request.set(request)
    try:
        try:
            _fail(password, text)
        except RuntimeError as error:
            sentry_sdk.capture_exception(error)
    finally:
        current_request.reset(reset)
    sentry_sdk.flush(timeout=5)


def _events(received) -> list[dict]:
    events = []
    for envelope in received:
        for line in envelope.splitlines():
            if line.startswith(b"{") and b'"exception"' in line:
                events.append(json.loads(line))
    return events


def test_nothing_is_sent_without_a_dsn(settings, fake_sentry):
    server, received = fake_sentry
    settings.SENTRY_DSN = ""
    assert sentry_init() is False
    assert not sentry_sdk.get_client().is_active()
    _capture_in_a_request()
    time.sleep(0.5)
    assert received == []


def test_an_error_is_sent_with_district_and_user_and_no_secrets(settings, fake_sentry):
    server, received = fake_sentry
    settings.SENTRY_DSN = f"http://publickey@127.0.0.1:{server.server_address[1]}/1"
    assert sentry_init() is True
    password, text = f"pw-{uuid.uuid4().hex}", f"FIR confession {uuid.uuid4().hex}"
    _capture_in_a_request(password, text)
    deadline = time.monotonic() + 5
    while not _events(received) and time.monotonic() < deadline:
        time.sleep(0.1)
    events = _events(received)
    assert len(events) == 1
    event = events[0]
    assert event["tags"]["district"] == "vaishali" and event["tags"]["request_id"] == "req-77"
    assert event["user"] == {"id": 4242}
    raw = b"".join(received).decode("utf-8", "replace")
    assert "the office printer caught fire" in raw
    for secret in (password, text, f"tok-{password}"):
        assert secret not in raw, secret
