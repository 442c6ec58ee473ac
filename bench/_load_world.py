"""bench/load.py's districts: D districts of O officers each, a few files per officer, made with
the project's own services (provisioning, offices, posts, accounts, postings, files) and kept in
the benchmark's database between runs (a district already made is reused as it is)."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

PREFIX = "bench-load"
POSTS_PER_OFFICE = 4
SUBJECTS = [
    "Monthly crime review meeting",
    "ई-ऑफिस प्रणाली लागू करने के संबंध में",
    "Power backup for the thana building",
    "पुराने कांडों के अभिलेखों का डिजिटलीकरण",
    "RTI application forwarded by the APIO",
]


@dataclass(frozen=True)
class Officer:
    login: str
    post_id: int
    files: tuple[int, ...]  # files held at the officer's post: viewed and noted on
    moving_file: int  # the file the officer's pair sends, receives and returns between them


@dataclass(frozen=True)
class Pair:
    slug: str
    schema: str
    a: Officer
    b: Officer


def _slug(i: int) -> str:
    return f"{PREFIX}-{i:04d}"


def world_make(*, districts: int, officers: int, files: int, password_hash: str) -> tuple[list[Pair], float]:
    """Every district, made if missing; returns the pairs of officers (A, B) per district, in
    district order, and the seconds spent making the new districts."""
    from tenants.models import District

    made = set(District.objects.filter(slug__startswith=f"{PREFIX}-").values_list("slug", flat=True))
    started = time.perf_counter()
    for i in range(districts):
        # Seeding is one transaction: a district stopped half-way has no officers and is seeded again.
        if _slug(i) not in made or not _pairs_of(_slug(i), officers=officers):
            _district_make(i, officers=officers, files=files, password_hash=password_hash)
    seconds = time.perf_counter() - started
    pairs: list[Pair] = []
    for i in range(districts):
        pairs.extend(_pairs_of(_slug(i), officers=officers))
    return pairs, seconds


def _district_make(i: int, *, officers: int, files: int, password_hash: str) -> None:
    from django.db import transaction

    from core.efile.services.files import file_create
    from core.models import EFile, FileHead, Office
    from core.org.services.go_live import office_go_live
    from core.org.services.offices import office_create
    from core.org.services.postings import posting_start
    from core.org.services.posts import post_create
    from state_admin.services.provisioning import DistrictSpec, district_provision
    from tenants.context import district_context
    from tenants.models import User
    from tenants.services import person_get_or_create

    slug = _slug(i)
    district = district_provision(spec=DistrictSpec(slug=slug, name=f"Load {i}", name_hi=f"भार {i}"))
    today = datetime.date.today() - datetime.timedelta(days=30)
    with district_context(district.schema_name), transaction.atomic():
        from core.base.audit import Actor

        head = FileHead.objects.get(code="GEN", office=None)
        sp_office = Office.objects.get(kind=Office.Kind.SP_OFFICE)
        offices = []
        for o in range((officers + POSTS_PER_OFFICE - 1) // POSTS_PER_OFFICE):
            office = office_create(
                code=f"sdpo-{o}",
                abbr=f"L{i % 1000}T{o}",
                name=f"SDPO {o}",
                name_hi=f"अनुमंडल {o}",
                kind=Office.Kind.SDPO,
                parent=sp_office,
                phase=1,
            )
            office_go_live(
                actor=None, office=office, override_reason="Load benchmark district, no checklist needed"
            )
            offices.append(office)
        for n in range(officers):
            office = offices[n // POSTS_PER_OFFICE]
            post = post_create(office=office, code=f"{office.code}-p{n}", title=f"SI {n}", kind="si")
            person, _ = person_get_or_create(
                login_id=f"{slug}.o{n:03d}", full_name=f"Officer {n} of {slug}", must_set_password=False
            )
            posting_start(person=person, post=post, starts_on=today)
            actor = Actor(person=person, post_id=post.pk)
            for f in range(files + 1):  # the last one is the pair's moving file
                file_create(
                    actor=actor,
                    post=post,
                    head=head,
                    subject=f"{SUBJECTS[(n + f) % len(SUBJECTS)]} {slug} {n}.{f}",
                    category=EFile.Category.ADMINISTRATION,
                )
        # One hash for every account (a PBKDF2 hash per officer would take minutes).
        User.objects.filter(login_id__startswith=f"{slug}.").update(password=password_hash)


def _pairs_of(slug: str, *, officers: int) -> list[Pair]:
    from core.models import EFile, Posting
    from tenants.context import district_context
    from tenants.models import District

    district = District.objects.get(slug=slug)
    if district.status != District.Status.LIVE:
        return []
    with district_context(district.schema_name):
        postings = list(
            Posting.objects.filter(ends_on__isnull=True, post__code__startswith="sdpo-")
            .select_related("person", "post")
            .order_by("post__pk")
        )
        created = {}
        for file_id, post_id in EFile.objects.order_by("pk").values_list("pk", "created_post_id"):
            created.setdefault(post_id, []).append(file_id)
    people = [
        Officer(
            login=p.person.login_id,
            post_id=p.post_id,
            files=tuple(created[p.post_id][:-1]),
            moving_file=created[p.post_id][-1],
        )
        for p in postings[:officers]
    ]
    return [
        Pair(slug=slug, schema=district.schema_name, a=people[k], b=people[k + 1])
        for k in range(0, len(people) - 1, 2)
    ]
