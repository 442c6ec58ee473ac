"""The index: kept current on commit of every audited write (the hook and the task), rebuilt from
scratch by the command exactly as the live index has it; the database matches Devanagari by
trigrams (a UTF-8 ctype)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from huey.contrib.djhuey import HUEY

from core.efile.services.notes import note_add
from core.models.search import SearchEntry
from core.org.selectors.postings import posting_in_force_list
from core.search.hook import search_flush
from core.search.index import search_index_records
from core.search.tasks import index_keys, search_index_task
from tenants.context import district_context
from tests.core.search.conftest import dak
from tests.core.search.people import SERVICE_NUMBER, inspector_add

COLUMNS = (
    'kind, object_id, office_id, "on", status, title, body, names, identifiers, other_script, document::text'
)


def index_rows() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {COLUMNS} FROM core_searchentry ORDER BY kind, object_id")  # noqa: S608
        return cursor.fetchall()


def test_the_rebuild_reproduces_the_live_index_exactly(ef, corpus):
    inspector_add(ef)  # a person with a service number and a Hindi name, among the people posted
    with district_context("vaishali"):
        SearchEntry.objects.all().delete()
        postings = list(posting_in_force_list().values_list("pk", flat=True))
        people = len(set(posting_in_force_list().values_list("person_id", flat=True)))
        keys = [(kind, pk) for kind, pk in index_keys([
            ("receipt", corpus.receipt.pk), ("efile", corpus.file.pk), ("efile", corpus.secret.pk),
            ("documentversion", corpus.document.versions.get().pk), ("case", corpus.case.pk),
            ("rtiapplication", corpus.rti.pk), *(("posting", pk) for pk in postings),
        ])]  # fmt: skip
        assert search_index_records(keys) == {"written": 6 + people, "deleted": 0}
        live = index_rows()
        out = io.StringIO()
        call_command("search_rebuild", "--district", "vaishali", stdout=out)
        assert index_rows() == live and len(live) == 6 + people and people >= 10
        assert (
            f"vaishali: {6 + people} rows (receipt 1, file 2, document 1, case 1, rti 1, person {people})"
            in out.getvalue()
        )
        assert any(row[0] == "person" and row[8] == SERVICE_NUMBER for row in live)
        assert all(row[-1] for row in live)  # every row has its vector


def committed_targets() -> list[list]:
    """What the commit of the test's transaction would enqueue (the test never commits: it runs
    the flush the hook registered on commit, as the commit would)."""
    assert any(func is search_flush for _sids, func, _robust in connection.run_on_commit)
    HUEY.flush()
    search_flush()
    tasks = HUEY.pending()
    HUEY.flush()
    assert [task.name.rpartition(".")[2] for task in tasks] == ["search_index_task"] * len(tasks)
    return [[task.args[0], sorted(task.args[1])] for task in tasks]


def test_a_write_through_a_service_is_indexed_on_commit_by_the_task(ef, corpus):
    with district_context("vaishali"):
        connection._search_pending = set()  # the corpus is indexed already
        note = note_add(actor=ef.actor("clerk"), file=corpus.file, body="Recovered near the Hajipur ghat.")
        receipt = dak(ef, subject="Hajipur ghat patrol roster", sender="SDPO Hajipur")
        assert not SearchEntry.objects.filter(kind="receipt", object_id=receipt.pk).exists()
    [[schema, targets]] = committed_targets()
    assert schema == "vaishali" and targets == [["note", str(note.pk)], ["receipt", str(receipt.pk)]]
    assert search_index_task.call_local("vaishali", targets) == {"written": 2, "deleted": 0}
    with district_context("vaishali"):
        assert "Hajipur ghat" in SearchEntry.objects.get(kind="file", object_id=corpus.file.pk).body
        assert (
            SearchEntry.objects.get(kind="receipt", object_id=receipt.pk).title
            == "Hajipur ghat patrol roster"
        )


def test_reads_enqueue_nothing_and_each_district_gets_its_own_task(ef, corpus):
    connection._search_pending = set()
    ef.client("sp").get(f"/cases/{corpus.case.pk}/")  # a read: case.view
    ef.client("sp").get("/search/", {"q": "mahua"})  # search.query
    with district_context("muzaffarpur"):
        other = dak(ef, "other", subject="Kanti thana roster")
    assert committed_targets() == [["muzaffarpur", [["receipt", str(other.pk)]]]]


def test_the_task_drops_a_record_that_is_gone(ef, corpus):
    with district_context("vaishali"):
        assert search_index_records([("receipt", 10**12)]) == {"written": 0, "deleted": 0}
        SearchEntry.objects.filter(kind="receipt", object_id=corpus.receipt.pk).update(object_id=10**12)
        assert search_index_records([("receipt", 10**12)]) == {"written": 0, "deleted": 1}
        assert index_keys([("note", "x"), ("draft", "1"), ("note", str(10**12))]) == set()


def test_the_command_refuses_an_unknown_district(world, db):
    with pytest.raises(CommandError, match="No district"):
        call_command("search_rebuild", "--district", "atlantis")


def test_the_command_rebuilds_every_district_without_the_flag(ef, corpus):
    people = {}
    for district in ("muzaffarpur", "vaishali"):
        with district_context(district):
            people[district] = len(set(posting_in_force_list().values_list("person_id", flat=True)))
    out = io.StringIO()
    call_command("search_rebuild", stdout=out)
    assert f"muzaffarpur: {1 + people['muzaffarpur']} rows" in out.getvalue()
    assert f"vaishali: {6 + people['vaishali']} rows" in out.getvalue()


def test_the_database_is_utf8(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_encoding_to_char(encoding), datctype FROM pg_database WHERE datname = current_database()"
        )
        encoding, ctype = cursor.fetchone()
    assert encoding == "UTF8" and "utf" in ctype.lower().replace("-", "")


def test_trigrams_see_devanagari(trigram):
    with connection.cursor() as cursor:
        cursor.execute("SELECT public.show_trgm('महुआ'), public.word_similarity('महुअ', 'थाना महुआ बाजार')")
        trigrams, similarity = cursor.fetchone()
        assert len(trigrams) >= 3 and similarity > 0.4
