"""Letters between two districts: delivery time of 1,000 letters, and signing time per letter.

    make bench BENCH=bench/letters.py
    make bench BENCH=bench/letters.py BENCH_ARGS="--letters 1000 --signed 20"

Works in a database of its own (DATABASE_URL's name with ``_bench_letters`` appended, kept between
runs; ``--fresh`` drops it first) holding two districts. The SP of the first enters and sends
``--letters`` outward letters (``dispatch_record`` + ``letter_send``, one transaction each, as the
page does) to the second's SP office while a worker thread runs the exchange's steps in a loop as
the consumer would (relay in the sender, delivery in the receiver, the status back). A letter's
delivery time is from its send committing to its incoming letter committing in the receiver; the
script prints the median, p95 and max, the throughput, and the time until the last "delivered"
status is back with the sender. Then ``--signed`` letters approved as drafts are signed
(``letter_sign``: PDF rendered, PAdES-signed, stored, audited) and sent with their signed PDF; it
prints the signing time per letter (median, p95) and those letters' delivery times.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from bench._db import bench_database  # noqa: E402
from bench._timing import percentile  # noqa: E402

SENDER, RECEIVER = "bench-letters-a", "bench-letters-b"
SCHEMAS: list[str] = []  # the two districts' schema names, once provisioned


def _districts():
    from state_admin.services.provisioning import DistrictSpec, district_provision
    from tenants.models import District

    out = []
    for slug, name in ((SENDER, "Bench Sender"), (RECEIVER, "Bench Receiver")):
        district = District.objects.filter(slug=slug).first() or district_provision(
            spec=DistrictSpec(slug=slug, name=name, range_name="Tirhut")
        )
        District.objects.filter(pk=district.pk).update(status=District.Status.LIVE)
        out.append(District.objects.get(pk=district.pk))
    return out


def _people(sender, receiver):
    from core.base.audit import Actor
    from core.letters.directory import directory_publish
    from core.models import Office, Post, Posting
    from core.org import services as core_services
    from tenants.context import district_context
    from tenants.services import person_get_or_create

    found = {}
    for district, key, code, kind in (
        (sender, "sp", "bench-sp", Post.Kind.SP),
        (sender, "clerk", "bench-clerk", Post.Kind.CLERK),
        (receiver, "rclerk", "bench-rclerk", Post.Kind.CLERK),
    ):
        person, _ = person_get_or_create(login_id=f"bench.letters.{key}", full_name=f"Bench {key}")
        with district_context(district.schema_name):
            office = Office.objects.get(code="sp-office")
            if not office.abbr:
                office.abbr = "SPBL" + district.slug[-1].upper()
                office.save(update_fields=["abbr"])
            post = Post.objects.filter(code=code).first() or core_services.post_create(
                office=office, code=code, title=f"Bench {key}", kind=kind
            )
            if not Posting.objects.filter(person=person, post=post, ends_on__isnull=True).exists():
                core_services.posting_start(person=person, post=post)
            directory_publish()
        found[key] = (Actor(person=person, post_id=post.pk), post)
    return found


def _worker(stop: threading.Event, counts: dict):
    from django.db import connection

    from core.letters.relay import deliver_pending, outbox_relay
    from tenants.context import district_context

    try:
        while not stop.is_set():
            moved = 0
            for step, schema in (
                (outbox_relay, SCHEMAS[0]),
                (deliver_pending, SCHEMAS[1]),
                (outbox_relay, SCHEMAS[1]),
                (deliver_pending, SCHEMAS[0]),
            ):
                with district_context(schema):
                    result = step()
                moved += len(result) if isinstance(result, set) else result[0]
            counts["passes"] += 1
            if not moved:
                time.sleep(0.01)
    finally:
        connection.close()


def _delivery_times(keys):
    from core.models import IncomingLetter, OutgoingLetter
    from tenants.context import district_context

    with district_context(SCHEMAS[0]):
        sent = dict(OutgoingLetter.objects.filter(key__in=keys).values_list("key", "created_at"))
    with district_context(SCHEMAS[1]):
        arrived = dict(IncomingLetter.objects.filter(key__in=keys).values_list("key", "delivered_at"))
    return [(arrived[k] - sent[k]).total_seconds() * 1000 for k in keys if k in arrived]


def _wait(keys, deadline_s=300):
    from core.models import OutgoingLetter
    from tenants.context import district_context

    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        with district_context(SCHEMAS[0]):
            waiting = OutgoingLetter.objects.filter(key__in=keys, status=OutgoingLetter.Status.QUEUED).count()
        if not waiting:
            return True
        time.sleep(0.05)
    return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--signed", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1, help="threads running the steps, as consumers")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    bench_database("_bench_letters", fresh=args.fresh)

    from core.efile.services.dispatch import dispatch_record
    from core.letters.send import letter_send
    from tenants.context import district_context
    from tenants.models import OfficeDirectoryEntry

    sender, receiver = _districts()
    SCHEMAS[:] = [sender.schema_name, receiver.schema_name]
    people = _people(sender, receiver)
    entry = OfficeDirectoryEntry.objects.get(district=receiver, office_code="sp-office")
    actor, post = people["sp"]

    stop, counts = threading.Event(), {"passes": 0}
    workers = [
        threading.Thread(target=_worker, args=(stop, counts), daemon=True) for _ in range(args.workers)
    ]
    for worker in workers:
        worker.start()
    keys, started = [], time.perf_counter()
    for n in range(args.letters):
        with district_context(sender.schema_name):
            dispatch = dispatch_record(
                actor=actor, post=post, addressee="SP Bench Receiver", subject=f"Bench letter {n}"
            )
            keys.append(letter_send(actor=actor, post=post, dispatch=dispatch, to_office_id=entry.pk).key)
    sent_s = time.perf_counter() - started
    complete = _wait(keys)
    all_back_s = time.perf_counter() - started
    times = _delivery_times(keys)
    print(f"letters sent: {len(keys)} in {sent_s:.1f} s ({len(keys) / sent_s:.0f}/s, one transaction each)")
    print(
        f"delivered: {len(times)}; every 'delivered' back with the sender "
        f"{all_back_s:.1f} s after the first send"
        f"{'' if complete else ' (NOT all back within 300 s)'}"
    )
    print(
        f"delivery time ms: median {statistics.median(times):.0f}  "
        f"p95 {percentile(times, 95):.0f}  max {max(times):.0f}"
    )

    signed_keys, sign_ms = _signed_letters(args.signed, people, sender, entry)
    _wait(signed_keys)
    stop.set()
    for worker in workers:
        worker.join()
    if sign_ms:
        print(
            f"signing ms per letter ({len(sign_ms)} letters: PDF rendered, PAdES-signed, stored, audited): "
            f"median {statistics.median(sign_ms):.0f}  p95 {percentile(sign_ms, 95):.0f}"
        )
        signed_times = _delivery_times(signed_keys)
        print(
            f"signed letters (PDF attached) delivery ms: median {statistics.median(signed_times):.0f}  "
            f"p95 {percentile(signed_times, 95):.0f}"
        )
    print(
        f"workers: {args.workers}, passes: {counts['passes']}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


def _signed_letters(count, people, sender, entry):
    from core.efile.services.drafts import draft_approve, draft_create
    from core.efile.services.files import file_create
    from core.efile.services.movement import file_receive, file_send
    from core.letters.send import letter_send
    from core.letters.signing import letter_sign
    from core.models import EFile, FileHead
    from tenants.context import district_context

    sp, sp_post = people["sp"]
    clerk, clerk_post = people["clerk"]
    keys, times = [], []
    with district_context(sender.schema_name):
        head = FileHead.objects.get(code="GEN", office=None)
        file = file_create(
            actor=clerk,
            post=clerk_post,
            head=head,
            subject="Bench letters",
            category=EFile.Category.ADMINISTRATION,
        )
        for n in range(count):
            draft = draft_create(
                actor=clerk,
                file=file,
                addressee="SP Bench Receiver",
                subject=f"Signed bench letter {n}",
                body="Sir, the antecedents of the accused are requested. " * 8,
            )
            file_send(actor=clerk, file=file, to_post=sp_post, remarks="")
            file_receive(actor=sp, file=file)
            dispatch = draft_approve(actor=sp, draft=draft).dispatch
            started = time.perf_counter()
            letter_sign(actor=sp, dispatch=dispatch)
            times.append((time.perf_counter() - started) * 1000)
            keys.append(letter_send(actor=sp, post=sp_post, dispatch=dispatch, to_office_id=entry.pk).key)
            file_send(actor=sp, file=file, to_post=clerk_post, remarks="")
            file_receive(actor=clerk, file=file)
    return keys, times


if __name__ == "__main__":
    main()
