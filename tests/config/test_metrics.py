"""Prometheus metrics at /metrics behind a token, on any Host; nothing for anyone without it
(issue 19, point 3)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import HostClient

pytestmark = pytest.mark.django_db

TOKEN = "metrics-token-for-the-tests-0123456789"
POD_IP = "10.244.3.17:8000"


def _scrape(host=POD_IP, token=TOKEN):
    return HostClient(host=host).get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")


def _value(text: str, sample: str) -> float:
    match = re.search(rf"^{re.escape(sample)} (\S+)$", text, re.M)
    assert match, f"{sample} not in the scrape"
    return float(match.group(1))


@pytest.mark.parametrize("host", [POD_IP, "vaishali.localhost", "localhost"])
def test_no_token_configured_means_no_metrics_anywhere(world, settings, host):
    settings.KARYALAY_METRICS_TOKEN = ""
    assert _scrape(host=host, token="").status_code == 404
    assert _scrape(host=host, token="anything").status_code == 404


@pytest.mark.parametrize("host", [POD_IP, "vaishali.localhost", "muzaffarpur.localhost", "localhost"])
def test_without_the_right_token_nothing_is_shown(world, settings, host):
    settings.KARYALAY_METRICS_TOKEN = TOKEN
    for header in (
        {},
        {"HTTP_AUTHORIZATION": "Bearer wrong"},
        {"HTTP_AUTHORIZATION": TOKEN},
        {"HTTP_AUTHORIZATION": f"Basic {TOKEN}"},
        {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}x"},
    ):
        response = HostClient(host=host).get("/metrics", **header)
        assert response.status_code == 404 and b"karyalay_" not in response.content


def test_signed_in_officers_and_people_without_a_posting_get_nothing(world, settings):
    settings.KARYALAY_METRICS_TOKEN = TOKEN
    for login, host in (
        ("sdpo.mahua", "vaishali"),
        ("sdpo.east", "vaishali"),
        ("no.posting", "vaishali"),
        ("vaishali.admin", "vaishali"),
    ):
        client = HostClient(host)
        client.sign_in(login)
        assert client.get("/metrics").status_code == 404


def test_requests_are_counted_by_district_view_and_status(world, settings):
    settings.KARYALAY_METRICS_TOKEN = TOKEN
    client = HostClient("vaishali")
    client.sign_in("sdpo.mahua")
    sample = 'karyalay_http_requests_total{district="vaishali",method="GET",status="200",view="search"}'
    before = _value(_scrape().content.decode(), sample) if sample in _scrape().content.decode() else 0
    client.get("/search/", {"q": "x"})
    client.get("/search/", {"q": "y"})
    text = _scrape().content.decode()
    assert _value(text, sample) == before + 2
    assert (
        'karyalay_http_request_duration_seconds_bucket{district="vaishali",le="+Inf",view="search"}' in text
    )
    assert _value(text, 'karyalay_db_queries_per_request_count{view="search"}') >= 2


def test_queue_depth_and_ocr_backlog_are_read_at_scrape(world, settings):
    from core.ocr.tasks import document_ocr_task

    settings.KARYALAY_METRICS_TOKEN = TOKEN
    document_ocr_task("vaishali", version_id=987654)
    document_ocr_task("vaishali", version_id=987655)
    text = _scrape().content.decode()
    assert _value(text, "karyalay_huey_queue_depth") >= 2
    assert _value(text, "karyalay_ocr_backlog") == 2
    assert _value(text, 'karyalay_huey_pending_tasks{task="document_ocr_task"}') == 2
    assert "karyalay_consumer_heartbeat_age_seconds" in text


def test_audit_verification_results(world, settings):
    from state_admin.services.audit_anchor import audit_anchor_all

    settings.KARYALAY_METRICS_TOKEN = TOKEN
    text = _scrape().content.decode()
    sample = 'karyalay_audit_verifications_total{kind="scheduled",result="ok"}'
    before = _value(text, sample) if sample in text else 0
    audit_anchor_all()
    text = _scrape().content.decode()
    assert _value(text, 'karyalay_audit_chain_ok{district="vaishali"}') == 1
    assert _value(text, 'karyalay_audit_chain_ok{district="muzaffarpur"}') == 1
    assert _value(text, sample) == before + 2


def test_task_outcomes_are_counted(world, settings):
    from huey.contrib.djhuey import HUEY

    from config.health_tasks import consumer_heartbeat_task

    settings.KARYALAY_METRICS_TOKEN = TOKEN
    sample = 'karyalay_huey_tasks_total{outcome="complete",task="consumer_heartbeat_task"}'
    text = _scrape().content.decode()
    before = _value(text, sample) if sample in text else 0
    HUEY.immediate = True
    try:
        consumer_heartbeat_task()
    finally:
        HUEY.immediate = False
    assert _value(_scrape().content.decode(), sample) == before + 1


_CHILD = """
import django, os, sys
django.setup()
from config.metrics import HTTP_REQUESTS, exposition
if sys.argv[1] == "count":
    HTTP_REQUESTS.labels(district="vaishali", view="search", method="GET", status="200").inc(int(sys.argv[2]))
else:
    sys.stdout.write(exposition().decode())
"""


def test_multiprocess_mode_adds_up_every_process(tmp_path):
    """gunicorn's workers are processes: each writes its own file, the scrape adds them up."""
    folder = tmp_path / "prometheus"
    folder.mkdir()
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
    }
    root = Path(__file__).resolve().parents[2]
    for count in ("3", "4"):
        subprocess.run(
            [sys.executable, "-c", _CHILD, "count", count], env=env, cwd=root, check=True, timeout=120
        )
    scraped = subprocess.run(
        [sys.executable, "-c", _CHILD, "scrape"],
        env=env,
        cwd=root,
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    ).stdout
    sample = 'karyalay_http_requests_total{district="vaishali",method="GET",status="200",view="search"}'
    assert _value(scraped, sample) == 7


def test_the_worker_serves_its_own_metrics_behind_the_same_token(world, settings):
    import urllib.error
    import urllib.request

    from huey.contrib.djhuey import HUEY

    from config.health_tasks import consumer_heartbeat_task
    from config.metrics_huey import worker_metrics_serve

    settings.KARYALAY_METRICS_TOKEN = TOKEN
    HUEY.immediate = True
    try:
        consumer_heartbeat_task()
    finally:
        HUEY.immediate = False
    port = worker_metrics_serve(0, host="127.0.0.1").server_address[1]
    url = f"http://127.0.0.1:{port}/metrics"
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5)
        assert refused.value.code == 404
    with urllib.request.urlopen(
        urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"}), timeout=5
    ) as answer:
        text = answer.read().decode()
    assert _value(text, 'karyalay_huey_tasks_total{outcome="complete",task="consumer_heartbeat_task"}') >= 1
