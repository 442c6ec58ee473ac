"""A resumable upload over a weak link: a PDF of ``--mb`` MB sent through the file page's upload
form (static/upload.js, tus) in Chromium throttled to 256 kbit/s each way with 300 ms of latency
(CDP Network.emulateNetworkConditions), the link dropped once when about half is on the server
(offline for ``--drop`` seconds, the chunk on its way lost) and restored; prints the wall time
from the click to the page that says the document is uploaded, and checks the stored SHA-256.

    make bench BENCH=bench/upload_resume.py                       # 2 MB, about 1.5 min
    make bench BENCH=bench/upload_resume.py BENCH_ARGS="--mb 20"  # 20 MB, about 12 min

Works in the database and the district of bench/upload.py (``bench-upload``), with a runserver
on a free port and its media in a temporary folder.
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import upload as bench_upload  # noqa: E402  (bench/upload.py: its district, its PDF)
from _timing import stop  # noqa: E402

KBIT = 256
LATENCY_MS = 300


def _conditions(offline: bool) -> dict:
    rate = KBIT * 1000 / 8  # bytes per second
    return {"offline": offline, "latency": LATENCY_MS, "downloadThroughput": rate, "uploadThroughput": rate}


def _server(port: int, media: Path, max_mb: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "KARYALAY_MEDIA_ROOT": str(media),
        "KARYALAY_UPLOAD_MAX_MB": str(max_mb),
        "KARYALAY_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return server


def _journey(base: str, file_id: int, pdf: Path, drop_seconds: float) -> dict:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        for _ in range(300):
            try:
                page.goto(f"{base}/accounts/login/")
                break
            except Exception:  # noqa: BLE001 -- the server is still starting
                time.sleep(0.2)
        page.fill("input[name=login]", bench_upload.LOGIN)
        page.fill("input[name=password]", bench_upload.PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{base}/files/{file_id}/")
        held = {"bytes": 0, "chunks": 0, "failed": 0}

        def finished(request):
            if request.method == "PATCH" and "/uploads/" in request.url:
                response = request.response()
                if response and response.status == 204:
                    held["bytes"] = int(response.headers["upload-offset"])
                    held["chunks"] += 1

        page.on("requestfinished", finished)
        page.on("requestfailed", lambda request: held.__setitem__("failed", held["failed"] + 1))
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", _conditions(False))
        page.set_input_files("input[name=files]", str(pdf))
        size = pdf.stat().st_size
        started = time.perf_counter()
        page.locator("form:has(input[name=files]) button[type=submit]").click()
        while held["bytes"] < size // 2:
            page.wait_for_timeout(200)
        dropped_at = time.perf_counter() - started
        held_at_drop = held["bytes"]
        cdp.send("Network.emulateNetworkConditions", _conditions(True))
        page.wait_for_timeout(drop_seconds * 1000)
        cdp.send("Network.emulateNetworkConditions", _conditions(False))
        restored_at = time.perf_counter() - started
        page.wait_for_selector("text=1 document uploaded.", timeout=3_600_000)
        elapsed = time.perf_counter() - started
        browser.close()
    return {
        "size": size,
        "seconds": elapsed,
        "dropped_at": dropped_at,
        "restored_at": restored_at,
        "held_at_drop": held_at_drop,
        "chunks": held["chunks"],
        "failed_requests": held["failed"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=2, help="size of the PDF in MB (default 2)")
    parser.add_argument("--drop", type=float, default=10.0, help="seconds the link stays down (default 10)")
    args = parser.parse_args()

    from _db import bench_database

    bench_database(bench_upload.BENCH_SUFFIX)
    from django.conf import settings

    from core.models import DocumentVersion
    from tenants.context import district_context

    district, file = bench_upload._district()
    port = bench_upload._free_port()
    base = f"http://{bench_upload.SLUG}.{settings.ROOT_DOMAIN}:{port}"
    work = Path(tempfile.mkdtemp(prefix="karyalay-bench-resume-"))
    media = work / "media"
    server = _server(port, media, max(50, args.mb * 2))
    try:
        pdf = work / f"scan-{args.mb}mb.pdf"
        sha = bench_upload._big_pdf(pdf, args.mb)
        result = _journey(base, file.pk, pdf, args.drop)
    finally:
        stop(server)
    try:
        with district_context(district.schema_name):
            version = DocumentVersion.objects.filter(document__file=file).latest("id")
            stored_ok = version.sha256 == sha and version.size == result["size"]
            stored = (media / "districts" / district.schema_name / version.stored_name).read_bytes()
            on_disk_ok = hashlib.sha256(stored).hexdigest() == sha
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ideal = result["size"] * 8 / (KBIT * 1000)
    print(f"resumable upload at {KBIT} kbit/s, {LATENCY_MS} ms latency, one drop of {args.drop:.0f} s")
    print(f"  file                {result['size'] / 1024 / 1024:.1f} MB ({result['size']} bytes)")
    print(f"  dropped at          {result['dropped_at']:.1f} s, {result['held_at_drop']} bytes on the server")
    print(f"  restored at         {result['restored_at']:.1f} s")
    print(f"  document stored at  {result['seconds']:.1f} s ({result['seconds'] / 60:.1f} min)")
    print(f"  line-rate minimum   {ideal:.1f} s (size x 8 / {KBIT} kbit/s) + {args.drop:.0f} s down")
    print(f"  chunks taken        {result['chunks']}, requests the drop failed {result['failed_requests']}")
    print(f"  stored SHA-256 and size match: {stored_ok}; bytes on disk match: {on_disk_ok}")
    return 0 if stored_ok and on_disk_ok else 1


if __name__ == "__main__":
    sys.exit(main())
