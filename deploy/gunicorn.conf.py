"""Gunicorn settings for Karyalay. Every knob can be overridden from the environment."""

import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cpu_count() -> int:
    # sched_getaffinity honours cpusets (docker --cpuset-cpus); os.cpu_count() sees the host.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


bind = f"0.0.0.0:{_env_int('PORT', 8000)}"

# Classic 2*cores+1 processes; in Kubernetes set GUNICORN_WORKERS to match the CPU limit,
# since neither count above sees a CFS quota.
workers = _env_int("GUNICORN_WORKERS", 2 * _cpu_count() + 1)
# Threads let one process overlap database and Redis waits; Django is thread-safe.
threads = _env_int("GUNICORN_THREADS", 4)
worker_class = "gthread"
# Database connections: each worker process has its own pool of at most KARYALAY_DB_POOL_MAX
# (config.settings; 0: no pool, a persistent connection per thread), and a thread holds one only
# while it serves a request, so this server holds at most workers x min(threads, pool) of them,
# never more however many requests come; a request that finds its process's pool empty waits
# KARYALAY_DB_POOL_TIMEOUT seconds, then gets a 503 page. PostgreSQL's max_connections must
# exceed the sum over every gunicorn and huey consumer (deploy/README.md, "Sizing").
POOL_MAX = _env_int("KARYALAY_DB_POOL_MAX", 4)
DATABASE_CONNECTIONS_MAX = workers * (min(threads, POOL_MAX) if POOL_MAX else threads)

# A request still running after this is killed and logged; heavy work belongs in huey.
timeout = _env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Longer than nginx's upstream keepalive_timeout (60s), so nginx always closes idle
# connections first and never writes a request into a socket gunicorn is closing.
keepalive = _env_int("GUNICORN_KEEPALIVE", 75)

# Recycle workers now and then so slow memory growth never accumulates; the jitter keeps
# all workers from restarting together.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Heartbeat files on tmpfs: a slow or read-only overlay filesystem cannot stall workers.
worker_tmp_dir = "/dev/shm"
# One gunicorn per container; containers are managed by restarts, not by gunicornc.
# (Also avoids creating ~/.gunicorn on a read-only root filesystem.) Read by gunicorn 25 and
# later (the project runs 27; tests/deploy/test_gunicorn_conf.py checks every name here is one
# the installed gunicorn knows).
control_socket_disable = True

# Whose X-Forwarded-Proto gunicorn believes. Only nginx can reach port 8000 (compose does
# not publish it; the Kubernetes Service targets the sidecar, and k8s/web.yaml narrows this
# to loopback). The compose network hands out addresses dynamically, hence "*" by default;
# gunicorn 27 also takes CIDR ranges (e.g. 172.16.0.0/12).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
# nginx sends X-Forwarded-Proto only; ignoring the other two spellings stops a client
# from making requests fail with contradictory scheme headers.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# Logs go to stdout/stderr for the container runtime to collect. The app logs every request
# itself, as JSON with its request id, district and user (config.logging_requests); gunicorn's own
# access line is off unless GUNICORN_ACCESS_LOG=1, so one request is one line.
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "") == "1" else None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client address as nginx saw it, host (the district), and duration in milliseconds.
access_log_format = '%({x-real-ip}i)s %({host}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'


# Prometheus' multiprocess mode (config.metrics): every worker writes its counters to files in
# PROMETHEUS_MULTIPROC_DIR (the images set /dev/shm/prometheus), emptied when the server starts
# so that counts of an earlier run never come back, and a dead worker's live gauges dropped.
PROMETHEUS_MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def on_starting(server):
    if PROMETHEUS_MULTIPROC_DIR:
        import shutil
        from pathlib import Path

        folder = Path(PROMETHEUS_MULTIPROC_DIR)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
    server.log.info(
        "at most %d database connections from this server (%d workers x %d threads, pool of %s)",
        DATABASE_CONNECTIONS_MAX,
        workers,
        threads,
        POOL_MAX or "none",
    )


def child_exit(server, worker):
    if PROMETHEUS_MULTIPROC_DIR:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
