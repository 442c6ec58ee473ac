"""Backup and restore times: the demo's Vaishali, and a district of 10,000 small files.

    make bench BENCH=bench/backup.py                 # the demo (seeded if missing) and 10,000 files
    .venv/bin/python bench/backup.py --files 2000    # a smaller file count

For each district: ``backup_create_district`` (archive written, fsynced, read back and verified),
``backup_verify`` alone, and ``backup_restore_district`` under a new slug beside the original
(scratch schema load, row counts, audit chain walk, files copied, the swap). Prints seconds,
archive size and file count, then removes the copies, the archives and the bench district.
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if not os.environ.get("DATABASE_URL"):
    from config import embedded_postgres

    embedded_postgres.start()

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from state_admin.services.backup import backup_create_district, backup_verify  # noqa: E402
from state_admin.services.backup_restore import backup_restore_district  # noqa: E402
from state_admin.services.provisioning import DistrictSpec, district_provision  # noqa: E402
from tenants import schemas  # noqa: E402
from tenants.models import District, DistrictMembership  # noqa: E402
from tenants.storage import district_media_dir  # noqa: E402


def _remove(slug: str) -> None:
    district = District.objects.filter(slug=slug).first()
    if district is None:
        return
    with transaction.atomic():
        schemas.schema_drop(district.schema_name)
        DistrictMembership.objects.filter(district=district).delete()
        district.domains.all().delete()
        district.delete()
    shutil.rmtree(district_media_dir(district.schema_name), ignore_errors=True)


def _measure(district: District, out: Path) -> None:
    started = time.perf_counter()
    result = backup_create_district(district=district, target_dir=out)
    created = time.perf_counter() - started
    started = time.perf_counter()
    backup_verify(archive=result.path)
    verified = time.perf_counter() - started
    copy = f"{district.slug}-bench-copy"
    _remove(copy)
    started = time.perf_counter()
    restored = backup_restore_district(archive=result.path, as_slug=copy)
    restore_seconds = time.perf_counter() - started
    rows = sum(restored.row_counts.values())
    print(
        f"{district.slug:<14} files {restored.files:>6}  rows {rows:>7}  "
        f"archive {result.size / 1e6:7.1f} MB  "
        f"backup+verify {created:6.1f} s  verify {verified:5.1f} s  restore --as {restore_seconds:6.1f} s"
    )
    _remove(copy)
    result.path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="Files in the bench district.")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    out = Path(tempfile.mkdtemp(prefix="karyalay-bench-backup-"))
    try:
        demo = District.objects.filter(slug="vaishali").first()
        if demo is None:
            from state_admin.demo import demo_seed

            demo_seed()
            demo = District.objects.get(slug="vaishali")
        _measure(demo, out)

        slug = "bench-files"
        _remove(slug)
        district = district_provision(spec=DistrictSpec(slug=slug, name="Bench files"))
        media = district_media_dir(district.schema_name)
        for n in range(args.files):
            folder = media / "documents" / f"{n // 1000:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{n:05d}.txt").write_bytes(os.urandom(512 + n % 2048))
        _measure(district, out)
        _remove(slug)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
