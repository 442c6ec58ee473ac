"""The access gate's one query (``core.org.selectors.postings.person_access_rows``), written out in
SQL for speed, gives what the ORM's query gave: the postings in force today with their posts' and
offices' kinds, newest first, and whether an open block stands, for a person with postings that
started, ended, are yet to start, or are additional charges, before and after a block, and for a
person with no posting here."""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from core.base.access import _posting_rows, viewer_for
from core.base.holders import posting_active_list
from core.models import AccessBlock, Office, Post, Posting
from core.org.selectors.postings import person_access_rows
from tenants.context import district_context


def orm_rows(person_id: int):
    blocked = AccessBlock.objects.filter(person_id=OuterRef("person_id"), lifted_at__isnull=True)
    rows = list(
        posting_active_list(person_id=person_id)
        .annotate(blocked=Exists(blocked))
        .values_list("post_id", "post__kind", "post__office_id", "post__office__kind", "blocked")
    )
    return [row[:4] for row in rows], any(row[4] for row in rows)


def test_written_out_query_equals_the_orm_query(world, db):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    person = world.vaishali_officer
    with district_context("vaishali"):
        office = Office.objects.create(code="thana-x", name="Thana X", kind=Office.Kind.THANA)
        posts = [
            Post.objects.create(office=office, code=f"x-{n}", title=f"X {n}", kind=kind)
            for n, kind in enumerate((Post.Kind.SHO, Post.Kind.CLERK, Post.Kind.SI, Post.Kind.SI))
        ]
        Posting.objects.create(person=person, post=posts[0], starts_on=today - 10 * day, ends_on=today)
        Posting.objects.create(
            person=person,
            post=posts[1],
            starts_on=today - 3 * day,
            ends_on=today + day,
            additional_charge=True,
        )
        Posting.objects.create(person=person, post=posts[2], starts_on=today - 9 * day, ends_on=today - day)
        Posting.objects.create(person=person, post=posts[3], starts_on=today + day)
        rows, blocked = person_access_rows(person_id=person.pk)
        assert (rows, blocked) == orm_rows(person.pk)
        # The viewer's own read (services check who holds a post with it) gives the same rows.
        assert _posting_rows(person.pk, None) == sorted(set(rows))
        assert viewer_for(person) == viewer_for(person, posting_rows=rows)
        # The fixture's SDPO posting (from today), then the clerk's and the SHO's: newest first.
        assert [row[1] for row in rows] == [Post.Kind.SDPO, Post.Kind.CLERK, Post.Kind.SHO] and not blocked
        assert rows[1][2] == office.pk and rows[1][3] == Office.Kind.THANA

        block = AccessBlock.objects.create(person=person, reason="test")
        assert person_access_rows(person_id=person.pk) == orm_rows(person.pk)
        assert person_access_rows(person_id=person.pk)[1] is True
        block.lifted_at = timezone.now()
        block.save()
        assert person_access_rows(person_id=person.pk) == orm_rows(person.pk)
        assert person_access_rows(person_id=person.pk)[1] is False

        # Nobody posted here: no rows and not blocked, even with a block of their own.
        for someone in (world.unposted, world.muzaffarpur_officer):
            AccessBlock.objects.create(person=someone, reason="test")
            assert person_access_rows(person_id=someone.pk) == orm_rows(someone.pk) == ([], False)
