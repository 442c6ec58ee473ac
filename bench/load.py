"""Many officers at once: the request mix of a working day against gunicorn, beside the stack's ceiling.

    make bench BENCH=bench/load.py
    make bench BENCH=bench/load.py BENCH_ARGS="--quick"                      # 4 districts, 20 s
    make bench BENCH=bench/load.py BENCH_ARGS="--save /tmp/before.json"
    make bench BENCH=bench/load.py BENCH_ARGS="--against /tmp/before.json"   # side by side

Works in a database of its own (DATABASE_URL's name with ``_bench_load``), kept between runs
(``--fresh`` drops it first). It provisions D districts of O officers (40 x 20 by default) with the
project's services, each officer holding a few files, and starts gunicorn with the deploy
configuration (deploy/gunicorn.conf.py, DEBUG=0) on loopback. C clients (30) sign in through
allauth's sign-in page, one pair of officers (A, B) of one district each, client i in district
i mod D, and then, for a bounded time each:

1. the ceiling: a minimal signed-in page (bench/_load_urls.py) through the same middleware;
2. the inbox page alone;
3. the mix: inbox 35 %, file page 25 %, a note 15 %, a step of the send/receive/return cycle
   10 % (A sends its moving file to B, B receives, B returns it, A receives), search 15 %.

Prints requests/s of each phase and its ratio to the ceiling, p50/p95/p99 per action, the 5xx
count, and then checks that every acknowledged write (notes, sends, returns, receipts) is in the
database. Requests are closed-loop (each client sends its next request when the last is answered).
Beside the clients' times, the server's own figures per action, from its request log lines
(config.logging_requests): the median time in the server, the CPU time of the thread that answered
and the time in SQL, and the queries: what the machine's other load stretches least.
"""

import argparse
import datetime
import http.client
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
# This tree's code first, even when it is not the installed one (a baseline exported with git archive).
for folder in (ROOT, ROOT / "platform", ROOT / "bench"):
    sys.path.insert(0, str(folder))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from _db import bench_database  # noqa: E402

NAN = float("nan")
NO_ANSWER = 599  # the connection failed: no status from the server
MIX = {"inbox": 35, "file": 25, "note": 15, "move": 10, "search": 15}
SEARCH_WORDS = ["review", "crime", "अभिलेखों", "backup", "RTI", "ई-ऑफिस"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Response:
    def __init__(self, status: int, headers, text: str):
        self.status_code, self.headers, self.text = status, headers, text


class Session:
    """One signed-in officer on one district host, as a browser behind nginx's TLS would be: its
    own keep-alive connection and cookie jar (the server's cookies are Secure, TLS ending at nginx)."""

    def __init__(self, port: int, host: str, address: str):
        self.port, self.host, self.address = port, host, address
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.reused, self.reconnects = False, 0

    def call(self, method: str, path: str, data: dict | None = None) -> Response:
        # As nginx sends them (deploy/nginx): the scheme, and the browser's own address, which the
        # rate limits count per address (KARYALAY_CLIENT_IP_HEADER, as compose and k8s set it).
        headers = {
            "Host": self.host,
            "X-Forwarded-Proto": "https",
            "X-Real-IP": self.address,
            "Origin": f"https://{self.host}",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode({**data, "csrfmiddlewaretoken": self.token})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            raw, text = self._send(method, path, body, headers)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed an idle keep-alive connection (gunicorn's keepalive, a recycled
            # worker) before reading this request: a browser sends it again on a new connection.
            self.conn.close()
            if not self.reused:
                raise
            self.reconnects += 1
            raw, text = self._send(method, path, body, headers)
        for header in raw.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value and morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Response(raw.status, raw.headers, text)

    def _send(self, method: str, path: str, body, headers):
        self.reused = self.conn.sock is not None
        try:
            self.conn.request(method, path, body=body, headers=headers)
            raw = self.conn.getresponse()
            text = raw.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise
        return raw, text

    def sign_in(self, login: str, password: str, token_page: str) -> None:
        page = self.call("GET", "/accounts/login/")
        self.token = TOKEN.search(page.text).group(1)
        done = self.call("POST", "/accounts/login/", {"login": login, "password": password})
        if done.status_code != 302 or "/accounts/" in done.headers.get("Location", ""):
            raise RuntimeError(
                f"{login} could not sign in: {done.status_code} {done.headers.get('Location')}"
            )
        self.token = TOKEN.search(self.call("GET", token_page).text).group(1)


class Client:
    """A pair of officers of one district and what they had acknowledged."""

    def __init__(self, n: int, pair, port: int, run: str, password: str, step: int):
        host = f"{pair.slug}.localhost:{port}"
        self.n, self.pair, self.run, self.rng = n, pair, run, random.Random(n)
        # Each officer at a computer of their own (10.0.x.y): the clients are not one address.
        self.a = Session(port, host, f"10.0.{(2 * n) // 250}.{(2 * n) % 250 + 1}")
        self.b = Session(port, host, f"10.0.{(2 * n + 1) // 250}.{(2 * n + 1) % 250 + 1}")
        self.a.sign_in(pair.a.login, password, f"/files/{pair.a.files[0]}/")
        self.b.sign_in(pair.b.login, password, f"/files/{pair.b.files[0]}/")
        self.step = step
        self.notes: list[str] = []
        self.moved = self.received = 0

    def act(self, action: str) -> tuple[int, bool]:
        """One request; (status, whether it did what was asked)."""
        a, rng = self.a, self.rng
        if action == "ceiling":
            r = a.call("GET", "/bench-ceiling/")
        elif action == "inbox":
            r = a.call("GET", "/inbox/")
        elif action == "file":
            r = a.call("GET", f"/files/{rng.choice(self.pair.a.files)}/")
        elif action == "search":
            r = a.call("GET", "/search/?q=" + quote(rng.choice(SEARCH_WORDS)))
        elif action == "note":
            body = f"load {self.run} {self.n} {len(self.notes)}"
            r = a.call("POST", f"/files/{rng.choice(self.pair.a.files)}/notes/", {"body": body})
            if r.status_code == 302 and "#note-" in r.headers.get("Location", ""):
                self.notes.append(body)
                return r.status_code, True
            return r.status_code, False
        else:
            return self._move()
        return r.status_code, r.status_code == 200

    def _move(self) -> tuple[int, bool]:
        f = self.pair.a.moving_file
        if self.step == 0:
            r = self.a.call(
                "POST", f"/files/{f}/send/", {"to_post": self.pair.b.post_id, "remarks": self.run}
            )
        elif self.step == 1:
            r = self.b.call("POST", f"/files/{f}/receive/", {})
        elif self.step == 2:
            r = self.b.call("POST", f"/files/{f}/return/", {"remarks": self.run})
        else:
            r = self.a.call("POST", f"/files/{f}/receive/", {})
        ok = r.status_code == 302 and (self.step % 2 == 1 or "/files/" not in r.headers.get("Location", "x"))
        if ok:
            if self.step % 2 == 0:
                self.moved += 1
            else:
                self.received += 1
            self.step = (self.step + 1) % 4
        return r.status_code, ok


def _move_step(pair) -> int:
    """Where the cycle stands for the pair's moving file (a run may have stopped half-way)."""
    from core.models import EFile
    from tenants.context import district_context

    with district_context(pair.schema):
        file = EFile.objects.get(pk=pair.a.moving_file)
    at_a = file.current_post_id == pair.a.post_id
    if at_a:
        return 0 if file.received_at else 3
    return 2 if file.received_at else 1


def _phase(clients: list[Client], seconds: float, choose) -> tuple[float, list[tuple[str, float, int, bool]]]:
    results: list[tuple[str, float, int, bool]] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop(client: Client) -> None:
        mine = []
        while time.monotonic() < deadline:
            action = choose(client.rng)
            started = time.perf_counter()
            try:
                status, ok = client.act(action)
            except (OSError, http.client.HTTPException):
                status, ok = NO_ANSWER, False
            mine.append((action, time.perf_counter() - started, status, ok))
        with lock:
            results.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=loop, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - started, results


def _mix_choice(rng: random.Random) -> str:
    return rng.choices(list(MIX), weights=list(MIX.values()))[0]


def _quantile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else NAN
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def _summary(elapsed: float, results) -> dict:
    by_action = defaultdict(list)
    for action, latency, status, ok in results:
        by_action[action].append((latency, status, ok))
    out = {"rps": len(results) / elapsed, "n": len(results), "actions": {}}
    for action, rows in sorted(by_action.items()):
        times = [r[0] * 1000 for r in rows]
        out["actions"][action] = {
            "n": len(rows),
            "rps": len(rows) / elapsed,
            "p50": _quantile(times, 0.50),
            "p95": _quantile(times, 0.95),
            "p99": _quantile(times, 0.99),
            "5xx": sum(1 for r in rows if 500 <= r[1] < NO_ANSWER),
            "no answer": sum(1 for r in rows if r[1] == NO_ANSWER),
            "refused": sum(1 for r in rows if r[1] < 500 and not r[2]),
        }
    out["5xx"] = sum(a["5xx"] for a in out["actions"].values())
    out["no answer"] = sum(a["no answer"] for a in out["actions"].values())
    return out


def _writes_check(clients: list[Client], run: str, since) -> dict:
    """Every acknowledged write, looked for in the database."""
    from core.models import Movement, Note
    from tenants.context import district_context

    acked = {"notes": 0, "moves": 0, "receipts": 0}
    found = dict.fromkeys(acked, 0)
    missing = 0
    by_schema = defaultdict(list)
    for c in clients:
        by_schema[c.pair.schema].append(c)
    for schema, group in by_schema.items():
        with district_context(schema):
            bodies = set(Note.objects.filter(body__startswith=f"load {run} ").values_list("body", flat=True))
            for c in group:
                acked["notes"] += len(c.notes)
                found["notes"] += sum(1 for b in c.notes if b in bodies)
                missing += sum(1 for b in c.notes if b not in bodies)
                moves = Movement.objects.filter(file_id=c.pair.a.moving_file)
                sent = moves.filter(at__gte=since, action__in=["sent", "returned"], remarks=run).count()
                got = moves.filter(received_at__gte=since).count()
                acked["moves"] += c.moved
                acked["receipts"] += c.received
                found["moves"] += sent
                found["receipts"] += got
                missing += max(0, c.moved - sent) + max(0, c.received - got)
    return {"acked": acked, "found": found, "lost": missing}


def _server(url: str, port: int, data: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "_load_settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "KARYALAY_ROOT_DOMAIN": "localhost",
        "KARYALAY_CLIENT_IP_HEADER": "X-Real-IP",  # behind nginx, as deploy/compose.yaml sets it
        "KARYALAY_STATIC_ROOT": str(data / "bench-load-static"),
        "PORT": str(port),
        "PYTHONPATH": os.pathsep.join(str(p) for p in (ROOT / "bench", ROOT / "platform", ROOT)),
    }
    # As the image does at build: hashed static files, which pages name with DEBUG off.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-c",
        str(ROOT / "deploy" / "gunicorn.conf.py"),
        "--bind",
        f"127.0.0.1:{port}",  # loopback only; every other knob is the deploy file's
        "config.wsgi:application",
    ]
    log = data / "bench-load-gunicorn.log"
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def _wait_up(port: int, host: str, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited; see its log")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz", headers={"Host": host})
            if conn.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The server's request log lines, by the action of the clients they answer.
ACTION_PATHS = (
    ("ceiling", re.compile(r"/bench-ceiling/")),
    ("inbox", re.compile(r"/inbox/")),
    ("note", re.compile(r"/files/\d+/notes/")),
    ("move", re.compile(r"/files/\d+/(send|receive|return)/")),
    ("file", re.compile(r"/files/\d+/")),
    ("search", re.compile(r"/search/")),
)


def _server_figures(log: Path, windows: dict[str, tuple[float, float]]) -> dict:
    """Per phase and action, medians of the server's own figures from its request log lines: the
    time in the server, the thread's CPU time, the time in SQL (``duration_ms``, ``cpu_ms``,
    ``sql_ms``) and the number of queries."""
    found: dict = defaultdict(lambda: defaultdict(list))
    for raw in log.read_text(errors="replace").splitlines():
        try:
            line = json.loads(raw) if raw.startswith("{") else {}
        except ValueError:
            continue
        if line.get("logger") != "karyalay.requests" or "cpu_ms" not in line:
            continue
        action = next((name for name, path in ACTION_PATHS if path.fullmatch(line.get("path", ""))), None)
        at = datetime.datetime.fromisoformat(line["time"].replace("Z", "+00:00")).timestamp()
        for phase, (start, end) in windows.items():
            if action and start <= at <= end:
                found[phase][action].append(line)
    return {
        phase: {
            action: {
                field: statistics.median(line[field] for line in lines)
                for field in ("duration_ms", "cpu_ms", "sql_ms", "queries")
            }
            for action, lines in actions.items()
        }
        for phase, actions in found.items()
    }


def _print_server(report: dict, against: dict | None) -> None:
    server, old = report.get("server") or {}, (against or {}).get("server") or {}
    hdr = " (this run, then the --against run)" if against else ""
    print(f"\nthe server's own figures, medians{hdr}")
    print("phase    action       server ms        cpu ms        sql ms       queries")
    for phase, actions in (("ceiling", ("ceiling",)), ("inbox", ("inbox",)), ("mix", tuple(MIX))):
        for action in actions:
            new, was = server.get(phase, {}).get(action, {}), old.get(phase, {}).get(action, {})
            row = "".join(
                f"{new.get(k, NAN):>8.1f}" + (f" {was.get(k, NAN):>6.1f}" if against else "")
                for k in ("duration_ms", "cpu_ms", "sql_ms", "queries")
            )
            print(f"{phase:<8} {action:<10}{row}")


def _print(report: dict, against: dict | None) -> None:
    def cell(new, old, fmt):
        return f"{fmt.format(new):>9}" + (f" {fmt.format(old):>9}" if against else "")

    print(report["setting"])
    if against:
        print(f"beside: {against['setting']}")
    hdr = "" if not against else "   (this run, then the --against run)"
    print(f"\nphase                 requests/s   of ceiling{hdr}")
    for phase in ("ceiling", "inbox", "mix"):
        new, old = report[phase], (against or {}).get(phase, {})
        ratio = new["rps"] / report["ceiling"]["rps"]
        old_ratio = old.get("rps", NAN) / (against or {}).get("ceiling", {}).get("rps", NAN)
        print(
            f"{phase:<20}{cell(new['rps'], old.get('rps', float('nan')), '{:.1f}')}"
            f"{cell(ratio, old_ratio, '{:.2f}')}"
        )
    print("\nmix action   requests/s        p50 ms        p95 ms        p99 ms      5xx  refused")
    for action in MIX:
        new = report["mix"]["actions"].get(action, {})
        old = (against or {}).get("mix", {}).get("actions", {}).get(action, {})
        row = "".join(
            cell(new.get(k, NAN), old.get(k, NAN), "{:.1f}" if k == "rps" else "{:.0f}")
            for k in ("rps", "p50", "p95", "p99")
        )
        print(f"{action:<11}{row} {new.get('5xx', 0):>8} {new.get('refused', 0):>8}")
    for phase in ("ceiling", "inbox"):
        a = report[phase]["actions"].get("ceiling" if phase == "ceiling" else "inbox", {})
        print(
            f"{phase} alone: p50 {a.get('p50', NAN):.0f} ms, p95 {a.get('p95', NAN):.0f} ms,"
            f" 5xx {a.get('5xx')}"
        )
    w = report["writes"]
    fives = sum(report[p]["5xx"] for p in ("ceiling", "inbox", "mix"))
    lost = sum(report[p].get("no answer", 0) for p in ("ceiling", "inbox", "mix"))
    print(
        f"\n5xx in all phases: {fives}; requests without an answer: {lost}"
        f" (idle connections the server closed, sent again: {report.get('reconnects', 0)});\n"
        "writes acknowledged / found in the database:"
        f" notes {w['acked']['notes']}/{w['found']['notes']},"
        f" sends and returns {w['acked']['moves']}/{w['found']['moves']},"
        f" receipts {w['acked']['receipts']}/{w['found']['receipts']}; lost {w['lost']}"
    )
    _print_server(report, against)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--districts", type=int, default=40)
    parser.add_argument("-o", "--officers", type=int, default=20, help="officers per district (even)")
    parser.add_argument(
        "-f", "--files", type=int, default=3, help="files per officer, besides the moving one"
    )
    parser.add_argument("-c", "--clients", type=int, default=30)
    parser.add_argument(
        "-s", "--seconds", type=float, default=60, help="of the mix (ceiling, inbox: a third)"
    )
    parser.add_argument("--quick", action="store_true", help="4 districts, a 20 s mix")
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark's database first")
    parser.add_argument("--save", help="write this run's figures to a JSON file")
    parser.add_argument("--against", help="print a saved run's figures beside this one's")
    args = parser.parse_args()
    if args.quick:
        args.districts, args.seconds = 4, 20
    if args.clients > args.districts * (args.officers // 2):
        parser.error("more clients than pairs of officers")

    url = bench_database("_bench_load", fresh=args.fresh)
    from _load_world import PREFIX, world_make
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from tenants.models import User

    password = secrets.token_urlsafe(12)
    hashed = make_password(password)
    pairs, made_in = world_make(
        districts=args.districts,
        officers=args.officers,
        files=args.files,
        password_hash=hashed,
    )
    User.objects.filter(login_id__startswith=f"{PREFIX}-").update(password=hashed)
    by_district = defaultdict(list)
    for pair in pairs:
        by_district[pair.slug].append(pair)
    slugs = sorted(by_district)[: args.districts]
    chosen = [by_district[slugs[i % len(slugs)]][i // len(slugs)] for i in range(args.clients)]

    port = _free_port()
    data = Path(os.environ.get("KARYALAY_DATA_DIR") or ROOT / ".data")
    data.mkdir(parents=True, exist_ok=True)
    server = _server(url, port, data)
    try:
        _wait_up(port, f"{slugs[0]}.localhost:{port}", server)
        run = secrets.token_hex(4)
        # Signed in ten at a time (each sign-in hashes a password: minutes one after another);
        # where each pair's moving file stands is read here, on this thread's connection.
        steps = [_move_step(pair) for pair in chosen]
        with ThreadPoolExecutor(max_workers=10) as pool:
            clients = list(
                pool.map(lambda n: Client(n, chosen[n], port, run, password, steps[n]), range(len(chosen)))
            )
        since = timezone.now()
        side = max(10.0, args.seconds / 3)
        windows = {}
        phases = (("ceiling", side, lambda rng: "ceiling"), ("inbox", side, lambda rng: "inbox"))
        for phase, seconds, choose in (*phases, ("mix", args.seconds, _mix_choice)):
            began = time.time()
            windows[phase] = _summary(*_phase(clients, seconds, choose))
            windows[phase]["window"] = (began, time.time())
        ceiling, inbox, mix = windows["ceiling"], windows["inbox"], windows["mix"]
    finally:
        server.terminate()
        server.wait(timeout=60)
    server_figures = _server_figures(
        data / "bench-load-gunicorn.log", {phase: windows[phase]["window"] for phase in windows}
    )
    writes = _writes_check(clients, run, since)
    load = os.getloadavg()
    made = f"made in {made_in:.1f} s" if made_in > 1 else "kept from an earlier run"
    setting = (
        f"{args.districts} districts x {args.officers} officers x {args.files + 1} files "
        f"({made}), {args.clients} clients, ceiling and inbox {side:.0f} s each, mix {args.seconds:.0f} s; "
        f"gunicorn deploy/gunicorn.conf.py, DEBUG=0, code at {ROOT}; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the end"
    )
    reconnects = sum(c.a.reconnects + c.b.reconnects for c in clients)
    report = {
        "reconnects": reconnects,
        "setting": setting,
        "ceiling": ceiling,
        "inbox": inbox,
        "mix": mix,
        "writes": writes,
        "server": server_figures,
    }
    against = json.loads(Path(args.against).read_text()) if args.against else None
    _print(report, against)
    if args.save:
        Path(args.save).write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
