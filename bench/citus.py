"""Citus (issue 21): the local cluster beside the single server, in the same run.

    make citus
    .venv/bin/python bench/citus.py                      # single = DATABASE_URL, cluster = :9700
    .venv/bin/python bench/citus.py --districts 3 --files 2000 --loads 20 --rounds 4 --place 200 \
        --move-files 10000
    .venv/bin/python bench/citus.py --phases pages --keep   # the pages alone, last run's databases

Each side works in a database of its own (``_bench_citus`` appended to the server's database
name, made afresh) and runs in child processes of its own (Django is set up once per process).
Both sides are measured in the same run and side by side, so that they meet the same load: each
phase runs on the single server, then at once on the cluster, and the page timings alternate
between the sides in ``--rounds`` rounds (the side that goes first alternating too). The load
average is printed with each phase, and beside the wall times the counts load does not move:
statements a page, Django's CPU time a page, the database's CPU time a page (the single server's
backend; the coordinator's backend and the worker backends serving it, read from /proc) and the
server's execution time of its statements.

- provisioning seconds per district, the clone path and the migrations path;
- a district's inbox and file page (the SP's, through the Django test client with the full
  middleware): median and p95, and the ratio cluster / single server (the goal: at most 1.3x);
- cluster only: 200 distributed schemas made as districts are (``--place``), counted per worker;
- cluster only: the time to move one district with 10,000 files (rows: files, movements,
  passages, audit events, written as bench/efile.py writes them) to the other worker.
"""

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
SUFFIX = "_bench_citus"
CLUSTER_URL = "postgresql://postgres@127.0.0.1:9700/karyalay"


def _efile_bench():
    """bench/efile.py's generators (district, files, page timing), loaded as a module."""
    spec = importlib.util.spec_from_file_location("bench_efile", HERE / "efile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _provision(prefix: str, count: int, *, use_template: bool) -> list[float]:
    from state_admin.services.provisioning import DistrictSpec, district_provision

    timings = []
    for i in range(count):
        spec = DistrictSpec(slug=f"{prefix}-{i}", name=f"Bench {prefix} {i}", name_hi="परीक्षण")
        started = time.perf_counter()
        district_provision(spec=spec, use_template=use_template)
        timings.append(time.perf_counter() - started)
    return timings


def _cleanup(prefix: str) -> None:
    from tenants import schemas
    from tenants.models import District

    for district in District.objects.filter(slug__startswith=f"{prefix}-"):
        schemas.schema_drop(district.schema_name)
        district.domains.all().delete()
        district.delete()


def _pages_district(efile, files: int):
    district, made = efile._district("bench-citus-pages")
    if made:
        efile._fill(district, files=files, events=files * 5)
    return district


def _pages(efile, files: int, loads: int) -> dict:
    """The SP's inbox and file page, ``loads`` times each: {page: {"wall": [s, …], "queries": n,
    "cpu": Django's median CPU s, "sql": the server's execution s of the page's statements}}."""
    from core.models import EFile
    from tenants.context import district_context

    district = _pages_district(efile, files)
    person = efile._officers(district)["SP"]
    with district_context(district.schema_name):
        # The SP office heads the district: the SP may open any of its files.
        file_id = EFile.objects.order_by("-pk").values_list("pk", flat=True).first()
    paths = {"inbox": "/inbox/", "file page": f"/files/{file_id}/"}
    timed = efile._time_pages(district, person, list(paths.values()), loads)
    backend = _backend_cpu(efile, district, person, list(paths.values()), loads)
    return {
        name: {
            "wall": timed[path][0],
            "queries": timed[path][1],
            "cpu": timed[path][3],
            "sql": timed[path][4],
            "db_cpu": backend[path],
        }
        for name, path in paths.items()
    }


def _process_cpu_ms(pid: int) -> float | None:
    """User + system CPU time of a local process, from /proc (None where it cannot be read)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _backend_cpu(efile, district, person, paths: list[str], loads: int) -> dict[str, dict[str, float]]:
    """Per path, the database's CPU time a page (ms), which the machine's load does not move as it
    moves wall times: the page's server backend on the single server; on the cluster the
    coordinator's backend and, apart, the worker backends serving it (Citus names them by the
    coordinator backend's pid in their application_name). Local servers only (read from /proc)."""
    import psycopg
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from tenants import citus

    client = Client(HTTP_HOST=f"{district.slug}.{settings.ROOT_DOMAIN}")
    # Signed in as bench/efile.py's page timing signs in (its password was set there).
    signed_in = client.post("/accounts/login/", {"login": person.login_id, "password": efile.PASSWORD})
    assert signed_in.status_code == 302, signed_in.status_code
    found = {}
    for path in paths:
        client.get(path)  # warm: the connection and the coordinator's connections to its workers
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        processes = {"server": [pid]}
        if citus.citus_active(connection):
            processes = {"coordinator": [pid], "workers": []}
            params = connection.get_connection_params()
            for node in citus.nodes(connection):
                host, _, port = node.rpartition(":")
                keep = {k: params[k] for k in ("user", "password") if params.get(k)}
                with psycopg.connect(host=host, port=int(port), dbname=params["dbname"], **keep) as worker:
                    processes["workers"] += [
                        row[0]
                        for row in worker.execute(
                            "SELECT pid FROM pg_stat_activity WHERE application_name LIKE %s",
                            [f"citus_internal gpid=%{pid:010d}"],
                        )
                    ]
        before = {name: [_process_cpu_ms(p) for p in pids] for name, pids in processes.items()}
        for _ in range(loads):
            client.get(path)
        found[path] = {}
        for name, pids in processes.items():
            after = [_process_cpu_ms(p) for p in pids]
            pairs = zip(after, before[name], strict=True)
            spent = [a - b for a, b in pairs if a is not None and b is not None]
            found[path][name] = sum(spent) / loads
    return found


def _placement(count: int) -> dict:
    """``count`` distributed schemas, made as provisioning makes a district's (CREATE SCHEMA with
    schema-based sharding on, then its tables), counted per worker, then dropped."""
    from django.db import connection

    from tenants import citus

    connection.set_schema_to_public()
    names = [f"bench_place_{n}" for n in range(count)]
    for n, name in enumerate(names):
        if n % 20 == 0:
            # A fresh session every 20 schemas: one that made hundreds ran out of file descriptors.
            connection.close()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
            cursor.execute(f"CREATE SCHEMA {name}")
            cursor.execute(f"CREATE TABLE {name}.core_efile (id bigint PRIMARY KEY, subject text)")
    placed = citus.placements(connection)
    counts: dict[str, int] = {}
    for name in names:
        counts[placed[name]] = counts.get(placed[name], 0) + 1
    for n, name in enumerate(names):
        if n % 20 == 0:
            connection.close()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA {name} CASCADE")
    return counts


def _move(efile, files: int) -> dict:
    from django.db import connection

    from core.models import AuditEvent, EFile, Movement
    from tenants import citus
    from tenants.context import district_context

    connection.set_schema_to_public()
    district, made = efile._district(f"bench-citus-move-{files}")
    if made:
        efile._fill(district, files=files, events=files * 3)
    with district_context(district.schema_name):
        rows = {
            "files": EFile.objects.count(),
            "movements": Movement.objects.count(),
            "audit events": AuditEvent.objects.count(),
        }
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schema_size FROM citus_schemas WHERE schema_name = to_regnamespace(%s)",
            [district.schema_name],
        )
        size = cursor.fetchone()[0]
    source = citus.placements(connection)[district.schema_name]
    target = next(node for node in citus.nodes(connection) if node != source)
    result = citus.schema_move(connection, district.schema_name, target, mode="auto")
    back = citus.schema_move(connection, district.schema_name, source, mode="block_writes")
    return {
        "rows": rows,
        "size": size,
        "auto": result["seconds"],
        "block_writes": back["seconds"],
        "from": source,
        "to": target,
    }


def child(args) -> None:
    """One phase of one side (``args.phase``), its figures as JSON on the last line of stdout."""
    from _db import bench_database

    bench_database(SUFFIX, fresh=args.phase == "setup" and not args.keep)
    from django.db import connection

    from tenants import citus, schemas

    on_citus = citus.citus_active(connection)
    found: dict = {"citus": on_citus, "pg": connection.pg_version // 10000}
    efile = _efile_bench()
    if args.phase == "setup":
        schemas.template_ensure_current()
        _pages_district(efile, args.files)
    elif args.phase == "provision":
        for prefix in ("bench-clone", "bench-migrate"):
            _cleanup(prefix)
        try:
            found["clone"] = _provision("bench-clone", args.districts, use_template=True)
            found["migrate"] = _provision("bench-migrate", args.districts, use_template=False)
            if on_citus:
                placed = citus.placements(connection)
                found["districts_placed"] = sorted(
                    placed[name] for name in placed if name.startswith(("bench_clone", "bench_migrate"))
                )
        finally:
            for prefix in ("bench-clone", "bench-migrate"):
                _cleanup(prefix)
    elif args.phase == "pages":
        found["pages"] = _pages(efile, args.files, args.loads)
    elif args.phase == "cluster" and on_citus:
        found["placement"] = _placement(args.place)
        found["move"] = _move(efile, args.move_files)
    found["load"] = os.getloadavg()[0]
    print(json.dumps(found))


def _run_side(url: str, phase: str, argv: list[str]) -> dict:
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("BENCH_BASE_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, __file__, "--child", f"--phase={phase}", *argv],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-6000:])
        raise SystemExit(f"the {phase} phase on {url} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _both(sides: dict[str, str], phase: str, argv: list[str], *, cluster_first: bool = False) -> dict:
    """The phase on both sides, one right after the other: {"single": …, "cluster": …}."""
    order = ["cluster", "single"] if cluster_first else ["single", "cluster"]
    return {side: _run_side(sides[side], phase, argv) for side in order}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--phase", default="setup", help=argparse.SUPPRESS)
    parser.add_argument("--districts", type=int, default=3, help="districts per provisioning path (3)")
    parser.add_argument("--files", type=int, default=2000, help="files in the page-timing district (2000)")
    parser.add_argument("--loads", type=int, default=20, help="loads per page and round (20)")
    parser.add_argument("--rounds", type=int, default=4, help="page-timing rounds, sides alternating (4)")
    parser.add_argument("--place", type=int, default=200, help="schemas for the placement count (200)")
    parser.add_argument("--move-files", type=int, default=10_000, help="files in the moved district")
    parser.add_argument(
        "--keep", action="store_true", help="reuse the bench databases of the last run (not made afresh)"
    )
    parser.add_argument(
        "--phases",
        default="provision,pages,cluster",
        help="which phases to run, comma-separated (all: provision,pages,cluster)",
    )
    parser.add_argument("--single", default=os.environ.get("DATABASE_URL", ""), help="single server URL")
    parser.add_argument("--cluster", default=CLUSTER_URL, help="Citus coordinator URL")
    args = parser.parse_args()
    if args.child:
        child(args)
        return 0
    if not args.single:
        raise SystemExit("Set DATABASE_URL (or --single) to the single server to compare with.")
    argv = [
        f"--districts={args.districts}",
        f"--files={args.files}",
        f"--loads={args.loads}",
        f"--place={args.place}",
        f"--move-files={args.move_files}",
        *(["--keep"] if args.keep else []),
    ]
    sides = {"single": args.single, "cluster": args.cluster}
    setup = _both(sides, "setup", argv)
    if setup["single"]["citus"] or not setup["cluster"]["citus"]:
        raise SystemExit(f"{args.cluster} must be a Citus coordinator (make citus) and {args.single} not")
    phases = set(args.phases.split(","))
    provision = _both(sides, "provision", argv) if "provision" in phases else None
    pages: dict[str, dict] = {"single": {}, "cluster": {}}
    loads: dict[str, list[float]] = {"single": [], "cluster": []}
    for n in range(args.rounds if "pages" in phases else 0):
        for side, found in _both(sides, "pages", argv, cluster_first=n % 2 == 1).items():
            loads[side].append(found["load"])
            for page, figures in found["pages"].items():
                kept = pages[side].setdefault(
                    page, {"wall": [], "queries": [], "cpu": [], "sql": [], "db_cpu": []}
                )
                kept["wall"].extend(figures["wall"])
                for key in ("queries", "cpu", "sql", "db_cpu"):
                    kept[key].append(figures[key])
    cluster = _run_side(args.cluster, "cluster", argv) if "cluster" in phases else None
    _print(args, setup["single"]["pg"], provision, pages, loads, cluster)
    return 0


def _print(args, pg: int, provision: dict | None, pages: dict, loads: dict, cluster: dict | None) -> None:
    print(f"PostgreSQL {pg}; single server beside a Citus coordinator + 2 workers (loopback), same run")
    if provision:
        _print_provision(provision)
    if pages["single"]:
        _print_pages(args, pages, loads)
    if provision:
        placed = provision["cluster"].get("districts_placed", [])
        print(f"districts provisioned on the cluster, per worker: {_count(placed)}")
    if cluster:
        _print_cluster(args, cluster)


def _print_provision(provision: dict) -> None:
    mean = statistics.mean
    single, on_cluster = provision["single"], provision["cluster"]
    print(f"{'provisioning, s/district':<34} {'single':>8} {'cluster':>8} {'ratio':>6}")
    for path in ("clone", "migrate"):
        a, b = mean(single[path]), mean(on_cluster[path])
        print(f"  {path + ' path':<32} {a:8.2f} {b:8.2f} {b / a:6.2f}   (n={len(single[path])})")
    print(f"  (load average after: single {single['load']:.1f}, cluster {on_cluster['load']:.1f})")


def _print_pages(args, pages: dict, loads: dict) -> None:
    median = statistics.median
    print(
        f"{'page (SP), ' + str(args.rounds) + ' rounds x ' + str(args.loads):<34} "
        f"{'single':>8} {'cluster':>8} {'ratio':>6}"
    )
    for page in ("inbox", "file page"):
        a, b = pages["single"][page], pages["cluster"][page]
        for label, f in (("median ms", median), ("p95 ms", _p95)):
            ratio = f(b["wall"]) / f(a["wall"])
            flag = "  over 1.3x" if ratio > 1.3 else ""
            print(
                f"  {page + ' ' + label:<32} {f(a['wall']) * 1000:8.1f} {f(b['wall']) * 1000:8.1f} "
                f"{ratio:6.2f}{flag}"
            )
        for label, key, scale in (("statements", "queries", 1), ("Django CPU ms", "cpu", 1000)):
            x, y = median(a[key]) * scale, median(b[key]) * scale
            print(f"  {page + ' ' + label:<32} {x:8.1f} {y:8.1f} {y / x:6.2f}")
        x = median(r["server"] for r in a["db_cpu"])
        coordinator = median(r["coordinator"] for r in b["db_cpu"])
        workers = median(r["workers"] for r in b["db_cpu"])
        print(
            f"  {page + ' database CPU ms':<32} {x:8.2f} {coordinator + workers:8.2f} "
            f"{(coordinator + workers) / x if x else 0:6.2f}  (cluster: coordinator {coordinator:.2f}"
            f" + worker {workers:.2f})"
        )
        x, y = median(a["sql"]) * 1000, median(b["sql"]) * 1000
        print(
            f"  {page + ' server SQL ms':<32} {x:8.1f} {y:8.1f} {y / x if x else 0:6.2f}  (EXPLAIN ANALYZE *)"
        )
    print(
        "  * on the cluster the coordinator's EXPLAIN ANALYZE, which runs each statement's own on the\n"
        "    worker and waits for it: round trips included, not comparable with the single server's"
    )
    print(
        "  (load average after each round: single "
        + ", ".join(f"{v:.1f}" for v in loads["single"])
        + "; cluster "
        + ", ".join(f"{v:.1f}" for v in loads["cluster"])
        + ")"
    )


def _print_cluster(args, cluster: dict) -> None:
    print(f"{args.place} distributed schemas, per worker: {cluster['placement']}")
    move = cluster["move"]
    print(
        f"move of a district with {move['rows']['files']:,} files ({move['rows']['movements']:,} movements, "
        f"{move['rows']['audit events']:,} audit events, {move['size']}): {move['from']} -> {move['to']} "
        f"{move['auto']:.1f} s (logical replication, serving), "
        f"back {move['block_writes']:.1f} s (block_writes); load average after {cluster['load']:.1f}"
    )


def _count(values: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


if __name__ == "__main__":
    sys.exit(main())
