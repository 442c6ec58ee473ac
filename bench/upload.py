"""Document upload: a 100 MB PDF through the real upload page of a live server, its throughput and
the web process's memory before, during and after, beside Django's in-memory upload path.

    make bench BENCH=bench/upload.py
    make bench BENCH=bench/upload.py BENCH_ARGS="--mb 200"

Works in a database of its own (DATABASE_URL's name, or the embedded default's, with
``_bench_upload`` appended) holding one district (``bench-upload``) with an officer and a file.
Starts ``manage.py runserver`` (one process, no threads, no reloader) on a free port with its media
in a temporary folder, signs in through the login page, and sends a generated PDF of ``--mb``
megabytes (one page, a large stream of random bytes: nothing compresses) from disk in 1 MB chunks,
so the client never holds it either. A sampler reads the server's resident memory (VmRSS) every
10 ms; the kernel's high-water mark (VmHWM) is read before and after.

Two runs: the project's settings (``core.base.uploads.limits.DistrictUploadHandler``: streamed to the
district's storage, hashed on the way, checked, drawn, moved into place) and a baseline with
Django's ``MemoryFileUploadHandler`` allowed to keep the whole file in memory (what the default
handler list does for every file under FILE_UPLOAD_MAX_MEMORY_SIZE). Both go through the same view
and service, which checks the file and stores it; the stored SHA-256 is checked against the one
computed while writing the file.
"""

import argparse
import hashlib
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from _timing import stop, wait_for_port  # noqa: E402 (bench/_timing.py, beside this script)

BENCH_SUFFIX = "_bench_upload"
SLUG = "bench-upload"
LOGIN = "bench.upload.clerk"
PASSWORD = "bench-upload-" + os.urandom(6).hex()
BOUNDARY = "KaryalayBenchBoundary7c1e"
MB = 1024 * 1024


def _district():
    """The bench district, an officer holding the SP office's dak desk, and an open file there."""
    import datetime

    from django.conf import settings
    from django.db import transaction

    from core.base.audit import Actor
    from core.efile.services.files import file_create
    from core.models import EFile, FileHead, Office, Post
    from core.org import services as core_services
    from tenants import schemas
    from tenants.context import district_context
    from tenants.models import District, Domain, PoliceRange, User
    from tenants.services import person_get_or_create

    district = District.objects.filter(slug=SLUG).first()
    if district is None:
        with transaction.atomic():
            district = District.objects.create(
                slug=SLUG,
                schema_name=SLUG.replace("-", "_"),
                name="Bench Upload",
                name_hi="परीक्षण",
                police_range=PoliceRange.objects.get_or_create(name="Bench range")[0],
                status=District.Status.LIVE,
            )
            Domain.objects.create(domain=f"{SLUG}.{settings.ROOT_DOMAIN}", tenant=district, is_primary=True)
            schemas.schema_create(district.schema_name)
            schemas.schema_clone_template(district.schema_name)
    person, _ = person_get_or_create(
        login_id=LOGIN, full_name="Bench Clerk", email=f"{LOGIN}@example.org", password=PASSWORD
    )
    person.set_password(PASSWORD)
    person.must_set_password = False
    person.save()
    with district_context(district.schema_name):
        office = Office.objects.filter(code="sp-office").first() or core_services.office_create(
            code="sp-office", name="SP office", kind=Office.Kind.SP_OFFICE
        )
        post = Post.objects.filter(code="bench-clerk").first()
        if post is None:
            post = core_services.post_create(
                office=office, code="bench-clerk", title="Dak clerk", kind=Post.Kind.CLERK
            )
            core_services.posting_start(
                person=User.objects.get(pk=person.pk), post=post, starts_on=datetime.date(2025, 1, 1)
            )
        with transaction.atomic():
            file = file_create(
                actor=Actor(person=person, post_id=post.pk),
                post=post,
                head=FileHead.objects.get(code="GEN", office=None),
                subject="Upload benchmark",
                category=EFile.Category.OTHER,
            )
    return district, file


def _big_pdf(path: Path, size_mb: int) -> str:
    """A valid one-page PDF of about ``size_mb`` MB (a random-bytes stream), written in 1 MB pieces;
    returns its SHA-256."""
    digest = hashlib.sha256()
    offsets = []
    with path.open("wb") as out:

        def write(data: bytes) -> None:
            digest.update(data)
            out.write(data)

        write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
        ]
        for number, body in enumerate(objects, start=1):
            offsets.append(out.tell())
            write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
        length = size_mb * MB
        offsets.append(out.tell())
        write(b"4 0 obj\n<< /Length %d >>\nstream\n" % length)
        for _ in range(size_mb):
            write(os.urandom(MB))
        write(b"\nendstream\nendobj\n")
        xref = out.tell()
        write(b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets))
        write(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return digest.hexdigest()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) * 1024
    return fields


class Browser:
    """Just enough of a browser: one host, cookies, the CSRF token."""

    def __init__(self, port: int, host: str):
        self.port, self.host, self.cookies = port, host, SimpleCookie()

    def request(self, method: str, path: str, body=None, headers=None, *, length: int | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        conn.putrequest(method, path, skip_host=True)
        all_headers = {"Host": self.host, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        if length is not None:
            all_headers["Content-Length"] = str(length)
        for key, value in all_headers.items():
            conn.putheader(key, value)
        conn.endheaders()
        if isinstance(body, bytes):
            conn.send(body)
        elif body is not None:
            for chunk in body:
                conn.send(chunk)
        response = conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        conn.close()
        return response.status, response.headers, data

    def sign_in(self, login: str, password: str) -> None:
        status, _headers, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = f"csrfmiddlewaretoken={token}&login={login}&password={password}".encode()
        status, headers, _ = self.request(
            "POST",
            "/accounts/login/",
            form,
            {"Content-Type": "application/x-www-form-urlencoded"},
            length=len(form),
        )
        if status != 302 or "login" in (headers.get("Location") or ""):
            raise SystemExit(f"sign-in failed: {status} {headers.get('Location')}")
        # The CSRF token lives in the session (CSRF_USE_SESSIONS) and is new after signing in:
        # read it from a page's form, as a browser does.
        _status, _headers, page = self.request("GET", "/")
        self.csrf_token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()

    def upload(self, path: str, file: Path, name: str):
        token = self.csrf_token
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nBench upload\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        tail = f"\r\n--{BOUNDARY}--\r\n".encode()

        def body():
            yield head
            with file.open("rb") as f:
                while chunk := f.read(MB):
                    yield chunk
            yield tail

        length = len(head) + file.stat().st_size + len(tail)
        headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
        return self.request("POST", path, body(), headers, length=length)


def _run(label: str, *, settings_module: str, big: Path, small: Path, size_mb: int, file_id: int, host: str):
    port = _free_port()
    media = Path(tempfile.mkdtemp(prefix="karyalay-bench-upload-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), os.environ.get("PYTHONPATH", "")]),
        "KARYALAY_MEDIA_ROOT": str(media),
        "KARYALAY_UPLOAD_MAX_MB": str(size_mb * 2),
        "KARYALAY_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--nothreading",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, server)
        browser = Browser(port, f"{host}:{port}")
        browser.sign_in(LOGIN, PASSWORD)
        url = f"/documents/file/{file_id}/upload/"
        status, headers, _ = browser.upload(url, small, "warm-up.pdf")  # imports, caches, first query
        assert status == 302, (status, headers)
        before = _rss(server.pid)
        peak = [before["VmRSS"]]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], _rss(server.pid)["VmRSS"])
                time.sleep(0.01)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        status, headers, _ = browser.upload(url, big, f"bench-{size_mb}mb.pdf")
        elapsed = time.perf_counter() - started
        done.set()
        sampler.join()
        after = _rss(server.pid)
        if status != 302:
            raise SystemExit(f"{label}: upload answered {status}")
        return {
            "label": label,
            "seconds": elapsed,
            "rss_before": before["VmRSS"],
            "rss_peak": max(peak[0], after["VmRSS"]),
            "rss_after": after["VmRSS"],
            "hwm_before": before["VmHWM"],
            "hwm_after": after["VmHWM"],
        }
    finally:
        stop(server)
        shutil.rmtree(media, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=100, help="size of the uploaded file in MB (default 100)")
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark's database first")
    args = parser.parse_args()

    from _db import bench_database

    bench_database(BENCH_SUFFIX, fresh=args.fresh)
    from django.conf import settings

    from core.models import DocumentVersion
    from tenants.context import district_context

    district, file = _district()
    host = f"{SLUG}.{settings.ROOT_DOMAIN}"
    work = Path(tempfile.mkdtemp(prefix="karyalay-bench-pdf-"))
    try:
        big, small = work / "big.pdf", work / "small.pdf"
        sha = _big_pdf(big, args.mb)
        _big_pdf(small, 1)
        size = big.stat().st_size
        same = {"big": big, "small": small, "size_mb": args.mb, "file_id": file.pk, "host": host}
        runs = [
            _run(label, settings_module=module, **same)
            for label, module in (
                ("streamed (project)", "config.settings"),
                ("in memory (Django's MemoryFileUploadHandler)", "_upload_baseline_settings"),
            )
        ]
        with district_context(district.schema_name):
            stored = list(
                DocumentVersion.objects.filter(document__file=file, size=size).values_list(
                    "sha256", flat=True
                )
            )
        assert stored[-2:] == [sha, sha], "the stored SHA-256 is not the file's"
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"Upload of a {size / MB:.0f} MB PDF through /documents/file/<id>/upload/ (runserver, one process)")
    print(
        f"{'run':46} {'time s':>7} {'MB/s':>7} {'RSS before':>11} {'peak RSS':>9} {'growth':>8} {'after':>7}"
    )
    for run in runs:
        growth = run["rss_peak"] - run["rss_before"]
        run["growth"] = growth
        print(
            f"{run['label']:46} {run['seconds']:7.2f} {size / MB / run['seconds']:7.1f} "
            f"{run['rss_before'] / MB:9.0f}MB {run['rss_peak'] / MB:7.0f}MB {growth / MB:6.1f}MB "
            f"{run['rss_after'] / MB:5.0f}MB"
        )
    streamed, memory = runs
    ratio = memory["growth"] / max(streamed["growth"], MB)
    print(
        f"memory growth while uploading: streamed {streamed['growth'] / size:.1%} of the file, "
        f"in memory {memory['growth'] / size:.1%}; ratio {ratio:.1f}x "
        "(streamed growth floored at 1 MB for the ratio)"
    )
    print(
        f"throughput ratio streamed / in memory: {memory['seconds'] / streamed['seconds']:.2f} "
        f"(VmHWM streamed {streamed['hwm_before'] / MB:.0f} -> {streamed['hwm_after'] / MB:.0f} MB, "
        f"in memory {memory['hwm_before'] / MB:.0f} -> {memory['hwm_after'] / MB:.0f} MB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
