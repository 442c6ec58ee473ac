"""What the benchmarks share to time and to report: a call timed, a percentile of timings, a server
process stopped."""

import socket
import statistics
import subprocess
import time


def timed(fn):
    """``(fn(), seconds it took)``."""
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def percentile(values, p: float) -> float:
    """The ``p``-th percentile of ``values`` by nearest rank on the sorted values (with few values,
    close to the slowest)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def p95(values) -> float:
    return percentile(values, 95)


def quantile_ms(values: list[float], q: int) -> float:
    """The ``q``-th percentile of ``values`` (seconds) in ms, as ``statistics.quantiles`` cuts
    them; the one value where there is only one, 0 where there is none."""
    if len(values) < 2:
        return values[0] * 1000 if values else 0.0
    return statistics.quantiles(values, n=100)[int(q) - 1] * 1000


def stop(server: subprocess.Popen) -> None:
    """``server`` terminated, killed if it has not ended within 10 s."""
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


def wait_for_port(port: int, server: subprocess.Popen, seconds: float = 120) -> None:
    """Until ``server`` accepts connections on 127.0.0.1:``port`` (a loaded machine can take most of
    a minute to start one); ``SystemExit`` if it ends first or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"the server on port {port} exited ({server.returncode})") from None
            time.sleep(0.2)
    raise SystemExit(f"the server on port {port} did not start within {seconds:.0f} s")
