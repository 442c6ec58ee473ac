"""The API's inbox beside the inbox page: each role's ``GET /api/v1/inbox/`` (a personal access
token, JSON) and ``GET /inbox/`` (the session, HTML), in a district of bench/efile.py's shape and
size, through the Django test client with the full middleware; median and p95 server time and the
ratio of the medians (API / page).

    make bench BENCH=bench/api.py
    make bench BENCH=bench/api.py BENCH_ARGS="--files 20000 --loads 20"

Its own database (``_bench_api`` appended to DATABASE_URL's name), kept between runs (``--fresh``
drops it); the district is filled by bench/efile.py's generator (files, dak, movements, passages;
``--events`` audit events).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("KARYALAY_LOG_LEVEL", "WARNING")  # no line per request among the figures


def _times(client, path: str, loads: int, **headers) -> tuple[list[float], int, int]:
    response = client.get(path, **headers)  # warm-up
    assert response.status_code == 200, (path, response.status_code)
    timings = []
    for _ in range(loads):
        began = time.perf_counter()
        client.get(path, **headers)
        timings.append(time.perf_counter() - began)
    return timings, len(response.content), response.status_code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--loads", type=int, default=30)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--roles", default="SP,SDPO,dak clerk")
    args = parser.parse_args()

    from _db import bench_database

    bench_database("_bench_api", fresh=args.fresh)
    import efile as efile_bench
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from core.models import EFile, Receipt
    from tenants.api_tokens import api_token_create
    from tenants.context import district_context

    slug = f"bench-api-{args.files}"
    district, made = efile_bench._district(slug)
    if made:
        print(f"making {slug}:", flush=True)
        efile_bench._fill(district, files=args.files, events=args.events)
    with district_context(district.schema_name):
        if not Receipt.objects.exists():
            efile_bench._fill_dak(district, receipts=max(args.files // 4, 1), files=args.files)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) core_efile, core_receipt, core_passage, core_movement")
        files, dak = EFile.objects.count(), Receipt.objects.count()
    connection.set_schema_to_public()
    host = f"{slug}.{settings.ROOT_DOMAIN}"
    print(f"{files:,} files, {dak:,} dak; {args.loads} loads per page; server time through the test client")
    print(
        f"{'officer':<10} {'page median':>12} {'page p95':>9} {'API median':>11} {'API p95':>8} "
        f"{'API/page':>9} {'page KB':>8} {'API KB':>7}"
    )
    officers = efile_bench._officers(district)
    for role in [r.strip() for r in args.roles.split(",") if r.strip()]:
        person = officers[role]
        person.set_password(efile_bench.PASSWORD)
        person.save(update_fields=["password"])
        page_client = Client(HTTP_HOST=host)
        signed_in = page_client.post(
            "/accounts/login/", {"login": person.login_id, "password": efile_bench.PASSWORD}
        )
        assert signed_in.status_code == 302, signed_in.status_code
        raw = api_token_create(person=person, district=district, name="bench", scope="read", days=1)[1]
        api_client = Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Bearer {raw}")
        page, page_bytes, _ = _times(page_client, "/inbox/", args.loads)
        api, api_bytes, _ = _times(api_client, "/api/v1/inbox/", args.loads)
        p95 = lambda v: sorted(v)[min(len(v) - 1, round(0.95 * (len(v) - 1)))]  # noqa: E731
        print(
            f"{role:<10} {statistics.median(page) * 1000:10.1f}ms {p95(page) * 1000:7.1f}ms "
            f"{statistics.median(api) * 1000:9.1f}ms {p95(api) * 1000:6.1f}ms "
            f"{statistics.median(api) / statistics.median(page):8.2f}x "
            f"{page_bytes / 1024:7.1f} {api_bytes / 1024:6.1f}",
            flush=True,
        )
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
