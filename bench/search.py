"""Search speed: typical queries over a district of 1,000,000 searchable items, beside the same
queries as a plain ILIKE scan over the same rows, and the index build time.

    make bench BENCH=bench/search.py
    make bench BENCH=bench/search.py BENCH_ARGS="--items 100000"

Works in a database of its own (DATABASE_URL's name, or the embedded default's, with
``_bench_search`` appended), kept between runs (``--fresh`` drops it first). One district per
size. Its index rows (dak, files, documents, cases, RTI applications: Hindi and English subjects
and bodies, names in either script with their other-script forms, numbers) are generated and
written in bulk: COPY into a staging table, then one INSERT … SELECT that computes every vector
with the same SQL as the live index (``core.search.index.DOCUMENT_SQL``), then the indexes.

Prints, per query, the median and p95 server time of ``core.search.query.search`` (counts per
kind, the best hits of each kind, highlighting terms, the exact-number check) for the SP, who
sees every record, beside a plain ILIKE scan that answers the same question (counts per kind and
20 rows) over the same rows, with the ratio; then the build time of the index.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
BENCH_SUFFIX = "_bench_search"

PLACES = [
    ("महुआ", "Mahua"), ("महनार", "Mahnar"), ("लालगंज", "Lalganj"), ("हाजीपुर", "Hajipur"),
    ("वैशाली", "Vaishali"), ("राघोपुर", "Raghopur"), ("बिदुपुर", "Bidupur"), ("जंदाहा", "Jandaha"),
    ("पातेपुर", "Patepur"), ("सहदेई", "Sahdei"), ("गोरौल", "Goraul"), ("भगवानपुर", "Bhagwanpur"),
]  # fmt: skip
FIRST = [
    "राम",
    "श्याम",
    "सुनील",
    "अजय",
    "राजेश",
    "संजय",
    "मनोज",
    "विनोद",
    "रमेश",
    "सुरेश",
    "अनिल",
    "दिनेश",
    "Ram",
    "Shyam",
    "Sunil",
    "Ajay",
    "Rajesh",
    "Sanjay",
    "Manoj",
    "Vinod",
    "Kamla",
    "Sita",
    "Geeta",
    "Rekha",
]
LAST = [
    "कुमार",
    "यादव",
    "सिंह",
    "पासवान",
    "प्रसाद",
    "मिश्र",
    "राय",
    "साह",
    "महतो",
    "पांडेय",
    "Kumar",
    "Yadav",
    "Singh",
    "Paswan",
    "Prasad",
    "Mishra",
    "Rai",
    "Sah",
    "Mahto",
    "Pandey",
]
HINDI_WORDS = [
    "चोरी",
    "कांड",
    "थाना",
    "शिकायत",
    "प्राथमिकी",
    "अनुसंधान",
    "गिरफ्तारी",
    "बरामद",
    "मोटरसाइकिल",
    "जमीन",
    "विवाद",
    "मारपीट",
    "आवेदन",
    "सूचना",
    "प्रतिवेदन",
    "पर्यवेक्षण",
    "न्यायालय",
    "आरोप",
    "पत्र",
    "गवाह",
    "बयान",
    "घटना",
    "स्थल",
    "जांच",
    "आदेश",
    "कार्यालय",
    "पुलिस",
    "अधीक्षक",
    "अनुमंडल",
    "पदाधिकारी",
    "बाजार",
    "गांव",
    "रात",
    "दिन",
    "मामले",
    "कांडों",
    "थानों",
]
ENGLISH_WORDS = [
    "theft",
    "case",
    "complaint",
    "investigation",
    "arrest",
    "recovered",
    "motorcycle",
    "land",
    "dispute",
    "assault",
    "application",
    "information",
    "report",
    "supervision",
    "court",
    "charge",
    "sheet",
    "witness",
    "statement",
    "incident",
    "spot",
    "inquiry",
    "order",
    "office",
    "police",
    "superintendent",
    "subdivision",
    "officer",
    "market",
    "village",
    "night",
    "day",
    "matter",
    "bicycle",
    "mobile",
    "phone",
    "cash",
    "robbery",
    "burglary",
    "fraud",
]
SUBJECTS = [
    "{place} थाना में {w} की शिकायत",
    "{place} बाजार में {w} के संबंध में",
    "{Place} PS: {e} reported",
    "{e} near {Place} market",
    "{Place} sub-division monthly {e} review",
    "{w} एवं {w2} — {place}",
]
KINDS = ["receipt", "file", "document", "case", "rti"]
QUERIES = [
    ("Hindi word", "कांडों", "कांड"),
    ("English word", "robberies", "robber"),
    ("translit. name", "paswan", "पासवान"),
    ("typo'd name", "bhagvanpurr", "bhagwanpur"),
    ("Hindi name", "सुनील पासवान", "सुनील"),
    ("exact number", None, None),  # a case number, filled in from the data
]


def _words(rng, n) -> str:
    return " ".join(
        rng.choice(HINDI_WORDS) if rng.random() < 0.55 else rng.choice(ENGLISH_WORDS) for _ in range(n)
    )


def _rows(count: int, seed: int = 7):
    """Generated index rows (without vectors), in the staging table's column order."""
    import datetime

    from core.search.script import other_script

    rng = random.Random(seed)
    cache: dict[str, str] = {}

    def other(text: str) -> str:
        if text not in cache:
            cache[text] = other_script(text)
        return cache[text]

    start = datetime.date(2015, 1, 1)
    for i in range(1, count + 1):
        kind = KINDS[i % 5]
        hi, en = rng.choice(PLACES)
        subject = rng.choice(SUBJECTS).format(
            place=hi,
            Place=en,
            w=rng.choice(HINDI_WORDS),
            w2=rng.choice(HINDI_WORDS),
            e=rng.choice(ENGLISH_WORDS),
        )
        names = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 3))]
        year = 2015 + i % 11
        serial = i // 5 + 1
        identifiers = {
            "receipt": f"SPB/{year}/{serial:06d}",
            "file": f"SPB/GEN/{year}/{serial:05d}",
            "document": "",
            "case": f"{serial % 999 + 1}/{year}\n{en.upper()}/{serial % 999 + 1}/{year}\nPS{i:07d}/{year}",
            "rti": f"RTI/SPB/{year}/{serial:05d}",
        }[kind]
        body = _words(rng, rng.randint(8, 40))
        yield (
            kind, i, None, start + datetime.timedelta(days=i % 3900), "open", identifiers, subject, body,
            "\n".join(names), " ".join(p for p in (other(subject), *(other(n) for n in names)) if p),
        )  # fmt: skip


def _fill(count: int) -> dict[str, float]:
    """Write ``count`` rows; returns the seconds of each build step."""
    from django.db import connection

    from core.search.index import DOCUMENT_SQL, hindi_config

    steps = {}
    with connection.cursor() as cursor:
        t = time.monotonic()
        cursor.execute(
            "DROP INDEX IF EXISTS core_searchentry_doc, core_searchentry_trgm, core_searchentry_ids"
        )
        cursor.execute(
            'CREATE UNLOGGED TABLE bench_stage (kind text, object_id bigint, office_id bigint, "on" date, '
            "status text, identifiers text, title text, body text, names text, other_script text)"
        )
        columns = 'kind, object_id, office_id, "on", status, identifiers, title, body, names, other_script'
        with cursor.cursor.copy(f"COPY bench_stage ({columns}) FROM STDIN") as copy:
            for row in _rows(count):
                copy.write_row(row)
        steps["generate + COPY"] = time.monotonic() - t
        t = time.monotonic()
        cursor.execute(
            f"INSERT INTO core_searchentry ({columns}, document, updated_at) "  # noqa: S608
            f"SELECT {columns}, {DOCUMENT_SQL}, now() FROM bench_stage",
            {"hindi": hindi_config()},
        )
        cursor.execute("DROP TABLE bench_stage")
        steps["vectors (INSERT … SELECT)"] = time.monotonic() - t
        for name, sql in (
            (
                "GIN tsvector index",
                "CREATE INDEX core_searchentry_doc ON core_searchentry USING gin (document)",
            ),
            (
                "GIN trigram index",
                "CREATE INDEX core_searchentry_trgm ON core_searchentry USING gin "
                "((title || ' ' || names || ' ' || identifiers || ' ' || other_script) gin_trgm_ops)",
            ),
            (
                "GIN identifiers index",
                "CREATE INDEX core_searchentry_ids ON core_searchentry "
                "USING gin (string_to_array(identifiers, E'\\n'))",
            ),
        ):
            t = time.monotonic()
            cursor.execute(sql)
            steps[name] = time.monotonic() - t
        t = time.monotonic()
        cursor.execute("VACUUM ANALYZE core_searchentry")
        steps["VACUUM ANALYZE"] = time.monotonic() - t
    return steps


def _ilike(q: str) -> None:
    """The same question as a plain scan: counts per kind and 20 rows, by ILIKE on every text."""
    from django.db import connection

    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    where = "(title ILIKE %s OR body ILIKE %s OR names ILIKE %s OR identifiers ILIKE %s)"
    counts = f"SELECT kind, count(*) FROM core_searchentry WHERE {where} GROUP BY kind"  # noqa: S608
    rows = f'SELECT id, title FROM core_searchentry WHERE {where} ORDER BY "on" DESC LIMIT 20'  # noqa: S608
    with connection.cursor() as cursor:
        for sql in (counts, rows):
            cursor.execute(sql, [pattern] * 4)
            cursor.fetchall()


def _time(fn, loads: int) -> list[float]:
    fn()  # warm
    out = []
    for _ in range(loads):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--loads", type=int, default=20, help="runs to time per query (default 20)")
    parser.add_argument("--fresh", action="store_true", help="drop the benchmark's database first")
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _db import bench_database

    bench_database(BENCH_SUFFIX, fresh=args.fresh)
    from django.db import connection

    from core.efile.access import Viewer
    from core.models.search import SearchEntry
    from core.search.query import search
    from tenants.context import district_context
    from tenants.models import District

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from efile import _district

    district, _made = _district(f"bench-search-{args.items}")
    with district_context(district.schema_name):
        steps = None
        if not SearchEntry.objects.exists():
            print(f"writing {args.items:,} index rows …", flush=True)
            steps = _fill(args.items)
        total = SearchEntry.objects.count()
        case = SearchEntry.objects.filter(kind="case").order_by("id")[total // 10 : total // 10 + 1].get()
        number = case.identifiers.split("\n")[2]  # "PS0012345/2024": one record's own number
        queries = [(label, q or number) for label, q, _ in QUERIES]
        sp = Viewer(person_id=0, district_wide=True)
        districts = District.objects.count()
        print(
            f"PostgreSQL {connection.pg_version // 10000}; {total:,} index rows in {districts} district(s); "
            f"{args.loads} runs per query; server time of core.search.query.search for the SP"
        )
        columns = ("hits", "median", "p95", "ILIKE med", "ILIKE p95", "ratio")
        print(f"{'query':<16} {'q':<16} " + " ".join(f"{c:>9}" for c in columns))
        worst = 0.0
        for label, q in queries:
            results = search(sp, q)
            a = _time(lambda q=q: search(sp, q), args.loads)
            b = _time(lambda q=q: _ilike(q), max(3, args.loads // 4))
            worst = max(worst, _p95(a))
            print(
                f"{label:<16} {q[:16]:<16} {results.total:>7,} {statistics.median(a) * 1000:7.1f}ms "
                f"{_p95(a) * 1000:7.1f}ms {statistics.median(b) * 1000:8.1f}ms {_p95(b) * 1000:8.1f}ms "
                f"{statistics.median(b) / statistics.median(a):6.1f}x"
            )
        print(f"worst p95 {worst * 1000:.1f} ms (target < 100 ms)")
        if steps:
            print("index build: " + ", ".join(f"{name} {s:.1f} s" for name, s in steps.items())
                  + f"; total {sum(steps.values()):.1f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
