"""Sight keys (issue 15): the search finds exactly the records the pages let each officer open.

The oracle is the pages' own rules (``core.search.query.VISIBLE``: the ``*_visible`` selectors of
the lists and record pages); the search tests the keys written on its index rows instead. On the
demo district, for every demo officer and every kind, the two agree, before and after a file
moves to a new desk (its dak and papers follow it).
"""

import pytest
from django.core.management import call_command
from django.db import connection

from core.base.access import viewer_for
from core.base.audit import Actor
from core.efile.services.movement import file_send
from core.models import Document, EFile, Post, Posting, Receipt
from core.models.search import SearchEntry
from core.search.index import search_index_rebuild, search_index_records
from core.search.query import VISIBLE, search, visible_entries
from core.search.tasks import index_keys
from state_admin.demo import OFFICERS
from tenants.context import district_context
from tenants.models import User

pytestmark = pytest.mark.django_db

LOGINS = [officer[5] for officer in OFFICERS] + ["vaishali.admin"]


def _searchable(viewer, kind) -> set[int]:
    return set(visible_entries(viewer, [kind]).values_list("object_id", flat=True))


def _openable(viewer, kind) -> set[int]:
    indexed = SearchEntry.objects.filter(kind=kind).values("object_id")
    return set(VISIBLE[kind](viewer).filter(pk__in=indexed).values_list("pk", flat=True))


def _compare_every_officer() -> dict[str, dict[str, set[int]]]:
    seen: dict[str, dict[str, set[int]]] = {}
    for login in LOGINS:
        viewer = viewer_for(User.objects.get(login_id=login))
        assert viewer.sees_anything, login
        for kind in VISIBLE:
            searchable, openable = _searchable(viewer, kind), _openable(viewer, kind)
            assert searchable == openable, (login, kind, searchable ^ openable)
            seen.setdefault(login, {})[kind] = searchable
    return seen


@pytest.fixture
def demo(world):
    call_command("seed_demo")
    with district_context("vaishali"):
        search_index_rebuild()
        yield


def test_search_returns_exactly_what_the_pages_open_for_every_demo_officer_and_kind(demo):
    seen = _compare_every_officer()
    every = {kind: SearchEntry.objects.filter(kind=kind).count() for kind in VISIBLE}
    # Not vacuous: every kind has rows, someone sees each kind, and sight differs between officers.
    assert all(every.values()), every
    for kind in VISIBLE:
        assert any(seen[login][kind] for login in LOGINS), kind
    assert any(len(seen[login][kind]) < every[kind] for login in LOGINS for kind in VISIBLE)
    # The SP sees every row, as the pages let them.
    assert all(len(seen["sp.vaishali"][kind]) == every[kind] for kind in VISIBLE)


def test_a_moved_file_takes_its_dak_and_papers_to_the_new_desk(demo):
    """A file sent to a desk that saw nothing of it: once the index task has run (as it does on
    commit, for the audit targets of the move), the new holder finds the file, the dak put in it
    and their papers, and the search still agrees with the pages for everyone."""
    receipt = Receipt.objects.filter(file__isnull=False).select_related("file").first()
    file = receipt.file if receipt else EFile.objects.filter(documents__isnull=False).first()
    assert file is not None
    holder = Posting.objects.filter(post_id=file.current_post_id).select_related("person").first()
    target = None
    for login in LOGINS:
        person = User.objects.get(login_id=login)
        viewer = viewer_for(person)
        if file.pk not in _searchable(viewer, "file") and viewer.post_ids and not viewer.district_wide:
            target = (person, Post.objects.get(pk=min(viewer.post_ids)))
            break
    assert target is not None and holder is not None
    person, post = target
    file_send(actor=Actor(person=holder.person, post_id=file.current_post_id), file=file, to_post=post)
    # What search_index_task does with the move's audit targets once it commits.
    with connection.cursor() as cursor:
        cursor.execute("SELECT target_type, target_id FROM core_auditevent ORDER BY id DESC LIMIT 20")
        targets = cursor.fetchall()
    search_index_records(index_keys(targets))
    viewer = viewer_for(person)
    assert file.pk in _searchable(viewer, "file")
    papers = set(Document.objects.filter(file=file).values_list("pk", flat=True)) | set(
        Document.objects.filter(receipt__file=file).values_list("pk", flat=True)
    )
    assert papers <= _searchable(viewer, "document")
    assert set(Receipt.objects.filter(file=file).values_list("pk", flat=True)) <= _searchable(
        viewer, "receipt"
    )
    _compare_every_officer()


def test_no_posting_and_another_districts_officer_find_nothing_in_vaishali(demo, world):
    """Sight keys give nothing to a person without a posting here: no keys, no rows (and the
    search answers nothing), whatever the query."""
    outsider = User.objects.create(login_id="nobody.here")
    with district_context("muzaffarpur"):
        mzp = list(Posting.objects.values_list("person_id", flat=True))
    mzp_only = User.objects.filter(pk__in=mzp).exclude(pk__in=Posting.objects.values("person_id"))[:3]
    assert mzp_only
    for person in [outsider, *mzp_only]:
        viewer = viewer_for(person)
        assert not viewer.sees_anything
        assert not visible_entries(viewer).exists()
        for q in ("mahua", "महुआ", "vaishali"):
            assert search(viewer, q).groups == []
