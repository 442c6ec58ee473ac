"""Where one request of bench/load.py's mix spends its time: each action once signed in, through the
whole middleware stack (Django's test client, DEBUG off, bench/_load_settings.py), warmed up and
then repeated, with its queries counted and the thread's CPU time; ``--profile ACTION`` prints
cProfile's heaviest functions for that action.

    .venv/bin/python bench/_load_profile.py                    # a table: ms, CPU ms, queries
    .venv/bin/python bench/_load_profile.py --profile inbox    # and where the inbox's CPU goes
    .venv/bin/python bench/_load_profile.py --sql file         # and the file page's statements

Uses bench/load.py's database (its districts must exist: run bench/load.py once) and an officer
pair no client of bench/load.py uses (the last pair of the last district), whose password it sets.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "platform", ROOT / "bench"):
    sys.path.insert(0, str(folder))
os.environ["DJANGO_SETTINGS_MODULE"] = "_load_settings"
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-load-profile-" + "x" * 40)
os.environ["KARYALAY_ROOT_DOMAIN"] = "localhost"
# The same limits' work on every request, with room for the repeats of one person.
for kind in ("SEARCH", "WRITE"):
    os.environ[f"KARYALAY_RATE_LIMIT_{kind}"] = "100000/m/user,100000/m/ip"
# bench/load.py's collected static files (pages name the hashed ones with DEBUG off).
os.environ["KARYALAY_STATIC_ROOT"] = str(
    Path(os.environ.get("KARYALAY_DATA_DIR") or ROOT / ".data") / "bench-load-static"
)

from _db import bench_database  # noqa: E402

ACTIONS = ("ceiling", "inbox", "file", "note", "move", "search")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--repeat", type=int, default=20)
    parser.add_argument("--profile", choices=ACTIONS, help="cProfile this action")
    parser.add_argument("--sql", choices=ACTIONS, help="print this action's statements")
    parser.add_argument("--district", default="", help="slug (default: the last bench-load district)")
    args = parser.parse_args()

    bench_database("_bench_load")
    import logging

    logging.getLogger("karyalay.requests").setLevel(logging.WARNING)  # the table says it
    from _load_world import PREFIX, _pairs_of
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tenants.models import District, User

    slug = (
        args.district
        or (
            District.objects.filter(slug__startswith=f"{PREFIX}-")
            .order_by("-slug")
            .values_list("slug", flat=True)[0]
        )
    )
    officers = User.objects.filter(login_id__startswith=f"{slug}.").count()
    pair = _pairs_of(slug, officers=officers)[-1]
    User.objects.filter(login_id__in=[pair.a.login, pair.b.login]).update(
        password=make_password("profile-pw")
    )
    host = f"{slug}.localhost"
    a, b = (Client(HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https") for _ in range(2))
    for client, login in ((a, pair.a.login), (b, pair.b.login)):
        done = client.post("/accounts/login/", {"login": login, "password": "profile-pw"})
        assert done.status_code == 302 and "/accounts/" not in done["Location"], done
    from load import _move_step

    state = {"step": _move_step(pair), "n": 0}

    def move():
        f, step = pair.a.moving_file, state["step"]
        if step == 0:
            r = a.post(f"/files/{f}/send/", {"to_post": pair.b.post_id, "remarks": "profile"})
        elif step == 1:
            r = b.post(f"/files/{f}/receive/", {})
        elif step == 2:
            r = b.post(f"/files/{f}/return/", {"remarks": "profile"})
        else:
            r = a.post(f"/files/{f}/receive/", {})
        state["step"] = (step + 1) % 4
        return r

    def note():
        state["n"] += 1
        return a.post(f"/files/{pair.a.files[0]}/notes/", {"body": f"profile note {state['n']}"})

    calls = {
        "ceiling": lambda: a.get("/bench-ceiling/"),
        "inbox": lambda: a.get("/inbox/"),
        "file": lambda: a.get(f"/files/{pair.a.files[1]}/"),
        "note": note,
        "move": move,
        "search": lambda: a.get("/search/?q=review"),
    }
    print(f"{slug}, {pair.a.login}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("action      wall ms   cpu ms   queries  (medians of", args.repeat, "after a warm-up)")
    for action in ACTIONS:
        call = calls[action]
        for _ in range(3):
            r = call()
            assert r.status_code in (200, 302), (action, r.status_code)
        walls, cpus, counts = [], [], []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started, cpu = time.perf_counter(), time.thread_time()
                status = call().status_code
                cpus.append((time.thread_time() - cpu) * 1000)
                walls.append((time.perf_counter() - started) * 1000)
            counts.append(len(queries))
            if status not in (200, 302):  # a refusal (a rate limit, another run's move) is not timed
                raise SystemExit(f"{action}: answered {status}")
        print(
            f"{action:<10}{statistics.median(walls):>9.1f}{statistics.median(cpus):>9.1f}"
            f"{statistics.median(counts):>10.0f}"
        )
        if args.sql == action:
            for q in queries.captured_queries:
                print(f"   {q['time']}  {q['sql'][:300]}")
        if args.profile == action:
            profile = cProfile.Profile(time.thread_time)  # CPU, not waits
            profile.enable()
            for _ in range(args.repeat):
                call()
            profile.disable()
            stats = pstats.Stats(profile).sort_stats("cumulative")
            stats.print_stats(60)
            stats.sort_stats("tottime").print_stats(30)
            # What the project's own functions cost, with everything they call.
            stats.sort_stats("cumulative").print_stats(f"{ROOT}/(core|tenants|platform|district_admin)/", 60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
