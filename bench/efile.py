"""e-File speed: every tray of every role (inbox, sent, parked, closed, the desk on the home page,
and the SP's and SDPO's pending view) in a district holding 100,000 files, 25,000 dak and 1,000,000
audit events, side by side with a small district; and audit-trail verification in events per second.

    make bench BENCH=bench/efile.py
    make bench BENCH=bench/efile.py BENCH_ARGS="--files 20000 --events 200000"

Works in a database of its own (DATABASE_URL's name, or the embedded default's, with
``_bench_efile`` appended), kept between runs (``--fresh`` drops it first). Two districts are made
there, with the same generator: the big one (``--files``, ``--events``) and a baseline one with
1 % of each. Rows are written with COPY, shaped as the services write them: every file has a
``created`` movement and 0–3 sends, a passage per post reached; dak (a quarter as many as files) is
diarised at a clerk's post and sent up 0–2 times, some put in a file or closed; the audit events
form a valid hash chain (verification checks it).

Prints, for six officers (the SP, an SDPO, an SHO, the SP office's dak clerk, the DSP at the SP
office, the PIO), the median and p95 server time of each of their trays through the Django test
client with the full middleware, in both districts side by side with the ratio of the p95s (the
target: under 50 ms and within 2x of the small district), with two figures less moved by other
work on the machine: this process's CPU time per request (median) and the SQL execution time of
one page's statements (EXPLAIN ANALYZE); then audit verification of each district's whole chain in
events per second, beside a plain read of the same rows without hashing. ``--roles SP,SDPO`` times
some roles only. Each role's table ends with the stack's floor (``bench/_efile_urls.py``): ``floor``,
a signed-in page with no template (session, account, every middleware), and ``base``, the base
layout with an empty body (context processors, navigation, header counts); a tray's own cost is
what it takes above ``base``. A tray page's rows come from the cache after its first load (the warm-up), as
when an officer looks again at a tray where nothing moved; ``--uncached`` renders them every time,
as after a change.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
BENCH_SUFFIX = "_bench_efile"
PASSWORD = "bench-efile-" + os.urandom(6).hex()

# Offices of a bench district: the SP office, 5 sub-divisions, each with 2 circles of 4 thanas.
SUBDIVISIONS, CIRCLES, THANAS = 5, 2, 4
POSTS_PER_OFFICE = 6
SUBJECTS = [
    "ई-ऑफिस प्रणाली लागू करने के संबंध में",
    "पुराने कांडों के अभिलेखों का डिजिटलीकरण",
    "Monthly crime review meeting, Mahua sub-division",
    "थाना भवन में कंप्यूटर एवं इंटरनेट की व्यवस्था",
    "RTI application forwarded by the APIO",
    "Power backup for the SDPO office, Lalganj",
]


def _copy(model, rows: list[dict]) -> None:
    """Write rows with COPY: a dict per row, keyed by field name (missing fields: None)."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    statement = f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN'  # noqa: S608
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([_cell(row.get(f.attname, row.get(f.name))) for f in fields])


def _cell(value):
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _sequences_reset(*models) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            # Two statements: on a Citus cluster one that reads the table is run on the district's
            # worker, where the unqualified sequence name does not resolve (issue 21).
            cursor.execute(f'SELECT MAX(id) FROM "{table}"')  # noqa: S608
            top = cursor.fetchone()[0] or 1
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [f'"{table}"', top])


def _district(slug: str):
    """The bench district with its offices, posts and officers (made when missing)."""
    from django.conf import settings
    from django.db import transaction

    from core.models import Office, Post, Posting
    from tenants import schemas
    from tenants.context import district_context
    from tenants.models import District, DistrictMembership, Domain, PoliceRange, User

    district = District.objects.filter(slug=slug).first()
    if district is not None:
        return district, False
    with transaction.atomic():
        district = District.objects.create(
            slug=slug,
            schema_name=slug.replace("-", "_"),
            name=slug.title(),
            name_hi="परीक्षण",
            police_range=PoliceRange.objects.get_or_create(name="Bench range")[0],
            status=District.Status.LIVE,
        )
        Domain.objects.create(domain=f"{slug}.{settings.ROOT_DOMAIN}", tenant=district, is_primary=True)
        schemas.schema_create(district.schema_name)
        schemas.schema_clone_template(district.schema_name)
        with district_context(district.schema_name):
            sp = Office.objects.create(code="sp-office", abbr="SPB", name="SP office", kind="sp_office")
            offices = [sp]
            for s in range(SUBDIVISIONS):
                sdpo = Office.objects.create(code=f"sdpo-{s}", name=f"SDPO {s}", kind="sdpo", parent=sp)
                offices.append(sdpo)
                for c in range(CIRCLES):
                    circle = Office.objects.create(
                        code=f"circle-{s}-{c}", name=f"Circle {s}.{c}", kind="circle", parent=sdpo
                    )
                    offices.append(circle)
                    for t in range(THANAS):
                        offices.append(
                            Office.objects.create(
                                code=f"thana-{s}-{c}-{t}",
                                name=f"Thana {s}.{c}.{t}",
                                kind="thana",
                                parent=circle,
                            )
                        )
            kinds = {
                "sp_office": ["sp", "clerk", "head_clerk", "dsp", "pio", "operator"],
                "sdpo": ["sdpo", "clerk", "operator", "si", "asi", "other"],
                "circle": ["inspector", "clerk", "si", "asi", "operator", "other"],
                "thana": ["sho", "si", "si", "asi", "clerk", "operator"],
            }
            posts = []
            for office in offices:
                for n, kind in enumerate(kinds[office.kind][:POSTS_PER_OFFICE]):
                    posts.append(
                        Post(
                            office=office,
                            code=f"{office.code}-p{n}",
                            title=f"{kind} {office.name}",
                            kind=kind,
                        )
                    )
            posts = Post.objects.bulk_create(posts)
            logins = [f"{slug}.{post.code}" for post in posts]
            User.objects.bulk_create(
                [User(login_id=login, full_name=login) for login in logins], ignore_conflicts=True
            )
            people = {u.login_id: u for u in User.objects.filter(login_id__in=logins)}
            Posting.objects.bulk_create(
                [
                    Posting(post=post, person=people[login], starts_on=datetime.date(2025, 1, 1))
                    for post, login in zip(posts, logins, strict=True)
                ]
            )
            DistrictMembership.objects.bulk_create(
                [DistrictMembership(district=district, person=person) for person in people.values()],
                ignore_conflicts=True,
            )
    return district, True


def _fill(district, *, files: int, events: int, seed: int = 5) -> None:
    """Files, movements, passages, receipts and a valid audit chain, as the services shape them."""
    from django.db import connection, transaction
    from django.utils import timezone

    from core.base.audit import GENESIS, event_content, event_hash
    from core.models import AuditEvent, EFile, FileHead, Movement, Office, Passage, Post, Posting
    from tenants.context import district_context

    rng = random.Random(seed)
    started = time.perf_counter()
    with district_context(district.schema_name), transaction.atomic():
        offices = list(Office.objects.all())
        posts_by_office: dict[int, list[Post]] = {}
        for post in Post.objects.all():
            posts_by_office.setdefault(post.office_id, []).append(post)
        holder = dict(Posting.objects.values_list("post_id", "person_id"))
        parent = {o.pk: o.parent_id for o in offices}
        head = FileHead.objects.get(code="GEN", office=None)
        now = timezone.now()
        file_rows, movement_rows, passage_rows = [], [], []
        movement_id = passage_id = 0
        serials: dict[int, int] = {}
        for file_id in range(1, files + 1):
            office = offices[rng.randrange(len(offices))]
            serials[office.pk] = serials.get(office.pk, 0) + 1
            creator = rng.choice(posts_by_office[office.pk])
            at = now - datetime.timedelta(days=rng.uniform(1, 365))
            path = [creator]
            for _hop in range(rng.choice([0, 1, 1, 2, 2, 3])):
                # Files go up the tree mostly, sometimes sideways within the office.
                up = parent.get(path[-1].office_id) or path[-1].office_id
                path.append(rng.choice(posts_by_office[up if rng.random() < 0.7 else path[-1].office_id]))
            seen = set()
            for step, post in enumerate(path):
                movement_id += 1
                at = at + datetime.timedelta(hours=rng.uniform(1, 72))
                received = step < len(path) - 1 or rng.random() < 0.7
                movement_rows.append(
                    {
                        "id": movement_id,
                        "file_id": file_id,
                        "action": "created" if step == 0 else "sent",
                        "from_post_id": None if step == 0 else path[step - 1].pk,
                        "to_post_id": post.pk,
                        "by_id": holder[path[step - 1].pk if step else post.pk],
                        "at": at,
                        "remarks": "",
                        "received_at": at if received else None,
                        "received_by_id": holder[post.pk] if received else None,
                    }
                )
                if post.pk not in seen:
                    seen.add(post.pk)
                    passage_id += 1
                    passage_rows.append(
                        {
                            "id": passage_id,
                            "file_id": file_id,
                            "post_id": post.pk,
                            "office_id": post.office_id,
                            "first_at": at,
                        }
                    )
            last = movement_rows[-1]
            status = rng.choices(["open", "parked", "closed"], weights=[70, 10, 20])[0]
            file_rows.append(
                {
                    "id": file_id,
                    "office_id": office.pk,
                    "head_id": head.pk,
                    "number": f"{office.number_prefix}/GEN/2025/{serials[office.pk]:05d}",
                    "year": 2025,
                    "serial": serials[office.pk],
                    "subject": f"{rng.choice(SUBJECTS)} ({file_id})",
                    "category": "administration",
                    "priority": rng.choices(["normal", "urgent", "immediate"], weights=[85, 12, 3])[0],
                    "confidentiality": rng.choices(["normal", "confidential", "secret"], weights=[90, 8, 2])[
                        0
                    ],
                    "status": status,
                    "updated_at": last["at"],
                    "current_post_id": last["to_post_id"],
                    "arrived_at": last["at"],
                    "received_at": last["received_at"],
                    "due_on": (last["at"] + datetime.timedelta(days=rng.randint(-10, 20))).date()
                    if rng.random() < 0.3
                    else None,
                    "created_by_id": holder[creator.pk],
                    "created_post_id": creator.pk,
                    "created_at": movement_rows[-len(path)]["at"],
                    "closed_at": last["at"] if status == "closed" else None,
                    "close_remark": "Disposed of." if status == "closed" else "",
                }
            )
        _copy(EFile, file_rows)
        _copy(Movement, movement_rows)
        _copy(Passage, passage_rows)
        _sequences_reset(EFile, Movement, Passage)
        print(
            f"  {files:,} files, {len(movement_rows):,} movements, {len(passage_rows):,} passages "
            f"({time.perf_counter() - started:.1f} s)",
            flush=True,
        )

        actions = [
            "file.view",
            "file.view",
            "file.view",
            "file.send",
            "file.receive",
            "note.add",
            "document.download",
        ]
        sealed = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq")
        seq, prev = sealed.values_list("seq", "hash").first() or (0, GENESIS)
        first_id = (AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        at = now - datetime.timedelta(days=365)
        step = datetime.timedelta(seconds=365 * 86400 / max(events, 1))
        people = list(holder.items())
        chunk: list[dict] = []
        for n in range(events):
            at += step
            post_id, person_id = people[rng.randrange(len(people))]
            event = AuditEvent(
                id=first_id + n,
                at=at,
                person_id=person_id,
                person_login=f"p{person_id}",
                post_id=post_id,
                action=actions[n % len(actions)],
                target_type="efile",
                target_id=str(rng.randint(1, files)),
                summary="",
                details={},
                ip=f"10.0.{n % 250}.{n % 200 + 1}",
                seq=seq + n + 1,
                prev_hash=prev,
            )
            event.hash = prev = event_hash(prev, event_content(event))
            chunk.append({f.attname: getattr(event, f.attname) for f in AuditEvent._meta.concrete_fields})
            if len(chunk) == 50_000:
                _copy(AuditEvent, chunk)
                chunk = []
        _copy(AuditEvent, chunk)
        _sequences_reset(AuditEvent)
    # Plans on freshly copied rows need statistics, as autovacuum would gather in a live district.
    with district_context(district.schema_name), connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  {events:,} audit events ({time.perf_counter() - started:.1f} s in all)", flush=True)


def _fill_dak(district, *, receipts: int, files: int, seed: int = 7) -> None:
    """Dak as ``receipt_diarise`` and ``receipt_send`` shape it: diarised at a clerk's post of its
    office (the SP office's for a third of it), sent up 0–2 times, a movement per step and a
    passage per post reached; open, put in a file, or closed."""
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from core.models import Movement, Office, Passage, Post, Posting, Receipt
    from tenants.context import district_context

    rng = random.Random(seed)
    started = time.perf_counter()
    with district_context(district.schema_name), transaction.atomic():
        offices = list(Office.objects.all())
        sp_office = next(o for o in offices if o.kind == "sp_office")
        posts_by_office: dict[int, list[Post]] = {}
        for post in Post.objects.exclude(kind="district_admin"):
            posts_by_office.setdefault(post.office_id, []).append(post)
        clerks = {
            office_id: [p for p in posts if p.kind == "clerk"] or posts
            for office_id, posts in posts_by_office.items()
        }
        holder = dict(Posting.objects.values_list("post_id", "person_id"))
        parent = {o.pk: o.parent_id for o in offices}
        movement_id = Movement.objects.aggregate(n=Max("id"))["n"] or 0
        passage_id = Passage.objects.aggregate(n=Max("id"))["n"] or 0
        now = timezone.now()
        receipt_rows, movement_rows, passage_rows = [], [], []
        serials: dict[int, int] = {}
        for receipt_id in range(1, receipts + 1):
            office = sp_office if rng.random() < 0.33 else offices[rng.randrange(len(offices))]
            serials[office.pk] = serials.get(office.pk, 0) + 1
            path = [rng.choice(clerks[office.pk])]
            at = now - datetime.timedelta(days=rng.uniform(1, 365))
            received_on = at.date()
            for _hop in range(rng.choice([0, 1, 1, 2])):
                up = parent.get(path[-1].office_id) or path[-1].office_id
                path.append(rng.choice(posts_by_office[up if rng.random() < 0.5 else path[-1].office_id]))
            seen = set()
            for step, post in enumerate(path):
                movement_id += 1
                at = at + datetime.timedelta(hours=rng.uniform(1, 48))
                received = step < len(path) - 1 or rng.random() < 0.6
                movement_rows.append(
                    {
                        "id": movement_id,
                        "receipt_id": receipt_id,
                        "action": "created" if step == 0 else "sent",
                        "from_post_id": None if step == 0 else path[step - 1].pk,
                        "to_post_id": post.pk,
                        "by_id": holder[path[step - 1].pk if step else post.pk],
                        "at": at,
                        "remarks": "",
                        "received_at": at if received else None,
                        "received_by_id": holder[post.pk] if received else None,
                    }
                )
                if post.pk not in seen:
                    seen.add(post.pk)
                    passage_id += 1
                    passage_rows.append(
                        {
                            "id": passage_id,
                            "receipt_id": receipt_id,
                            "post_id": post.pk,
                            "office_id": post.office_id,
                            "first_at": at,
                        }
                    )
            last = movement_rows[-1]
            status = rng.choices(["open", "attached", "closed"], weights=[50, 30, 20])[0]
            receipt_rows.append(
                {
                    "id": receipt_id,
                    "office_id": office.pk,
                    "diary_number": f"{office.number_prefix}/D/2025/{serials[office.pk]:05d}",
                    "year": 2025,
                    "serial": serials[office.pk],
                    "received_on": received_on,
                    "mode": "post",
                    "sender": "IG Tirhut",
                    "sender_address": "",
                    "subject": f"{rng.choice(SUBJECTS)} (dak {receipt_id})",
                    "letter_reference": "",
                    "status": status,
                    "file_id": rng.randint(1, files) if status == "attached" else None,
                    "attached_at": last["at"] if status == "attached" else None,
                    "current_post_id": last["to_post_id"],
                    "arrived_at": last["at"],
                    "received_at": last["received_at"],
                    "due_on": None,
                    "created_by_id": holder[path[0].pk],
                    "created_post_id": path[0].pk,
                    "created_at": movement_rows[-len(path)]["at"],
                    "closed_at": last["at"] if status == "closed" else None,
                    "close_remark": "Filed." if status == "closed" else "",
                }
            )
        _copy(Receipt, receipt_rows)
        _copy(Movement, movement_rows)
        _copy(Passage, passage_rows)
        _sequences_reset(Receipt, Movement, Passage)
    with district_context(district.schema_name), connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  {receipts:,} dak ({time.perf_counter() - started:.1f} s)", flush=True)


# The officers timed, by the code of the post they hold in a bench district.
ROLES = {
    "SP": "sp-office-p0",
    "SDPO": "sdpo-0-p0",
    "SHO": "thana-0-0-0-p0",
    "dak clerk": "sp-office-p1",
    "DSP HQ": "sp-office-p3",
    "PIO": "sp-office-p4",
}
TRAYS = {"inbox": "/inbox/", "sent": "/inbox/sent/", "parked": "/inbox/parked/", "closed": "/inbox/closed/"}
# The home page's desk (waiting, new, overdue, parked per post) is a tray's summary.
TRAYS["desk"] = "/"
# The stack's floor (bench/_efile_urls.py): a signed-in page with no template, and the base layout
# with an empty body; what is left of a tray's time above ``base`` is the tray's own.
FLOORS = {"floor": "/bench-floor/", "base": "/bench-base/"}
PENDING = {"SP", "SDPO"}


def _officers(district) -> dict[str, object]:
    """The officers to time, one per role."""
    from tenants.models import User

    return {role: User.objects.get(login_id=f"{district.slug}.{code}") for role, code in ROLES.items()}


def _paths(role: str) -> dict[str, str]:
    paths = dict(TRAYS)
    if role in PENDING:
        paths["pending"] = "/files/pending/"
    return {**paths, **FLOORS}


def _time_pages(district, person, paths: list[str], loads: int) -> dict[str, tuple]:
    """Per path: the wall times of ``loads`` requests, the queries and table rows of one, the
    median CPU time of this process per request (Django's share) and the SQL execution time."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    person.set_password(PASSWORD)
    person.save(update_fields=["password"])
    client = Client(HTTP_HOST=f"{district.slug}.{settings.ROOT_DOMAIN}")
    signed_in = client.post("/accounts/login/", {"login": person.login_id, "password": PASSWORD})
    assert signed_in.status_code == 302, signed_in.status_code
    found = {}
    for path in paths:
        response = client.get(path)  # warm-up
        assert response.status_code == 200, (path, response.status_code)
        timings, cpu = [], []
        for _ in range(loads):
            began, began_cpu = time.perf_counter(), time.process_time()
            client.get(path)
            timings.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        found[path] = (
            timings,
            len(queries.captured_queries),
            response.content.count(b"<tr"),
            statistics.median(cpu),
            _sql_seconds(district, [q["sql"] for q in queries.captured_queries]),
        )
    return found


def _sql_seconds(district, statements: list[str]) -> float:
    """The server's execution time of a page's statements (EXPLAIN ANALYZE of each, in the
    district's schema): the database's share of a page, less moved by other work on the machine
    than the wall clock."""
    from django.db import connection

    from tenants.context import district_context

    total = 0.0
    with district_context(district.schema_name), connection.cursor() as cursor:
        for sql in statements:
            if not sql.lstrip().upper().startswith(("SELECT", "(SELECT", "WITH")):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            total += cursor.fetchone()[0][0]["Execution Time"] / 1000
    return total


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _verify(district) -> tuple[int, float, float]:
    from core.base.audit import audit_verify
    from core.models import AuditEvent
    from tenants.context import district_context

    with district_context(district.schema_name):
        began = time.perf_counter()
        result = audit_verify()
        verify_seconds = time.perf_counter() - began
        assert result.ok, result
        began = time.perf_counter()
        for _event in AuditEvent.objects.order_by("id").iterator(chunk_size=5000):
            pass
        read_seconds = time.perf_counter() - began
    return result.count, verify_seconds, read_seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--loads", type=int, default=30, help="page loads to time per page (default 30)")
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark's database first")
    parser.add_argument("--roles", default="", help="comma-separated roles to time (default: all)")
    parser.add_argument(
        "--no-verify", action="store_true", help="time the trays only, not audit verification"
    )
    parser.add_argument(
        "--uncached",
        action="store_true",
        help="render every tray page's rows (no rows from the cache: core.efile.views.tray_cache)",
    )
    args = parser.parse_args()

    from _db import bench_database

    bench_database(BENCH_SUFFIX, fresh=args.fresh)
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    override_settings(ROOT_URLCONF="_efile_urls").enable()  # the floor pages beside the district's

    from core.models import AuditEvent, EFile, Receipt
    from tenants.context import district_context

    sizes = {
        f"bench-ef-{args.files}": (args.files, args.events),
        f"bench-ef-base-{args.files // 100}": (max(args.files // 100, 1), max(args.events // 100, 1)),
    }
    districts = {}
    for slug, (files, events) in sizes.items():
        district, made = _district(slug)
        if made:
            print(f"making {slug}:", flush=True)
            _fill(district, files=files, events=events)
        # A district made by an earlier run gets the migrations since (the trays' indexes among
        # them), and its tables vacuumed as autovacuum keeps a live district's (index-only scans).
        call_command("migrate_schemas", schema_name=district.schema_name, interactive=False, verbosity=0)
        with district_context(district.schema_name):
            if not Receipt.objects.exists():
                print(f"adding dak to {slug}:", flush=True)
                _fill_dak(district, receipts=max(files // 4, 1), files=files)
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE) core_efile, core_receipt, core_passage, core_movement")
            counts = (EFile.objects.count(), AuditEvent.objects.count(), Receipt.objects.count())
        districts[slug] = (district, counts)

    if args.uncached:
        from django.core.cache.backends.dummy import DummyCache

        from core.efile.views import tray_cache

        tray_cache.cache = DummyCache("uncached", {})
    print(
        f"PostgreSQL {connection.pg_version // 10000}; {args.loads} loads per page, "
        "server time through the test client; tray rows "
        + ("rendered every time (--uncached)" if args.uncached else "from the cache after the first load")
    )
    (big, big_counts), (base, base_counts) = districts.values()
    print(
        f"district A: {big_counts[0]:,} files, {big_counts[2]:,} dak, {big_counts[1]:,} audit events   "
        f"district B (baseline): {base_counts[0]:,} files, {base_counts[2]:,} dak, "
        f"{base_counts[1]:,} audit events"
    )
    header = (
        f"{'officer':<10} {'tray':<8} {'A median':>9} {'A p95':>8} {'B median':>9} {'B p95':>8} "
        f"{'p95 A/B':>8} {'A cpu':>7} {'B cpu':>7} {'A sql':>7} {'B sql':>7} {'queries':>8} {'rows':>5} "
        f"{'load':>5}"
    )
    print(header)
    worst = []
    chosen = {role.strip() for role in args.roles.split(",") if role.strip()} or set(ROLES)
    for role, person in _officers(big).items():
        if role not in chosen:
            continue
        base_person = _officers(base)[role]
        paths = _paths(role)
        on_big = _time_pages(big, person, list(paths.values()), args.loads)
        on_base = _time_pages(base, base_person, list(paths.values()), args.loads)
        for tray, path in paths.items():
            a, queries, rows, a_cpu, a_sql = on_big[path]
            b, _queries, _rows, b_cpu, b_sql = on_base[path]
            ratio = _p95(a) / _p95(b)
            flags = "" if tray in FLOORS else ("  over 50 ms" if _p95(a) > 0.050 else "")
            flags += "  over 2x" if ratio > 2 and tray not in FLOORS else ""
            if tray not in FLOORS:
                worst.append((_p95(a), role, tray))
            print(
                f"{role:<10} {tray:<8} {statistics.median(a) * 1000:7.1f}ms {_p95(a) * 1000:6.1f}ms "
                f"{statistics.median(b) * 1000:7.1f}ms {_p95(b) * 1000:6.1f}ms {ratio:7.2f}x "
                f"{a_cpu * 1000:5.1f}ms {b_cpu * 1000:5.1f}ms {a_sql * 1000:5.1f}ms {b_sql * 1000:5.1f}ms "
                f"{queries:>8} {rows:>5} {os.getloadavg()[0]:5.1f}{flags}",
                flush=True,
            )
    p95, role, tray = max(worst)
    print(
        f"slowest p95 in district A: {role}, {tray}, {p95 * 1000:.1f} ms; "
        f"load average {os.getloadavg()[0]:.2f}"
    )

    for label, district in () if args.no_verify else (("A", big), ("B", base)):
        count, verify_seconds, read_seconds = _verify(district)
        print(
            f"audit verification, district {label}: {count:,} events in {verify_seconds:.2f} s = "
            f"{count / verify_seconds:,.0f} events/s; plain read of the same rows {read_seconds:.2f} s = "
            f"{count / read_seconds:,.0f} events/s "
            f"(hashing costs {verify_seconds / read_seconds:.2f}x the read)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
