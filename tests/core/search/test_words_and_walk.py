"""Typos through the district's word dictionary (``core_searchword``), and the SP's walk for a word
in most rows: the dictionary is written with the index and rebuilt with it, holds only its own
district's words, and a typo'd word's stand-ins never show what the viewer may not see; the walk
finds what the index would, for the SP only."""

import pytest
from django.db import connection

from core.models.search import SearchEntry, SearchWord
from core.search import query
from core.search.index import search_index_records
from core.search.query import search
from tenants.context import district_context
from tests.core.search.conftest import found, viewer


def words() -> set[str]:
    return set(SearchWord.objects.values_list("word", flat=True))


def test_the_dictionary_is_written_with_the_index_and_the_rebuild_writes_the_same(ef, corpus):
    from django.core.management import call_command

    with district_context("vaishali"):
        rebuilt = words()
        # titles, names and numbers in both scripts, lower-case; bodies are not in it
        assert {"godown", "mahua", "महुआ", "sunil", "सुनील", f"123/{corpus.year}"} <= rebuilt
        assert "informer" not in rebuilt  # only in the secret file's note (a body)
        SearchEntry.objects.all().delete()
        SearchWord.objects.all().delete()
        search_index_records(
            [("receipt", corpus.receipt.pk), ("file", corpus.file.pk), ("file", corpus.secret.pk),
             ("document", corpus.document.pk), ("case", corpus.case.pk), ("rti", corpus.rti.pk)]
        )  # fmt: skip
        live = words()
        call_command("search_rebuild", "--district", "vaishali", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert words() == rebuilt and live <= rebuilt and "godown" in live


def test_a_typo_is_replaced_by_the_dictionarys_nearest_words_and_a_known_word_is_not(ef, corpus, trigram):
    with district_context("vaishali"):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, false)", [str(query.SIMILARITY)]
            )
        similar = query._similar_words(["Sunel", "paswan", "ab"])
    assert "sunil" in similar["Sunel"] and len(similar["Sunel"]) <= query.SIMILAR
    # known in the other script ("पासवान"); too short
    assert similar["paswan"] == [] and similar["ab"] == []
    with district_context("vaishali"):
        results = search(viewer(ef, "sp"), "Sunel Paswan")
    assert found(results) == {("case", corpus.case.pk)}
    assert "sunil" in results.terms  # the stand-in is marked in the hit


def test_a_typo_of_a_confidential_files_word_shows_it_only_to_whom_may_see_it(ef, corpus, trigram):
    with district_context("vaishali"):
        clerk = search(viewer(ef, "clerk"), "godwn")
        sho = search(viewer(ef, "sho"), "godwn")
    assert ("file", corpus.secret.pk) not in found(clerk) and clerk.total == 0
    assert ("file", corpus.secret.pk) in found(sho)


def test_another_districts_dictionary_does_not_hold_this_districts_words(ef, corpus, trigram):
    with district_context("muzaffarpur"):
        assert "godown" not in words() and "sunil" not in words()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.similarity_threshold', %s, false)", [str(query.SIMILARITY)]
            )
        assert "godown" not in query._similar_words(["godwn"])["godwn"]
        assert search(viewer(ef, "other"), "godwn").total == 0


def _analyse():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_searchentry")
    query._stats.clear()  # read again at once, not after STATS_SECONDS


def test_the_share_of_rows_a_query_matches_comes_from_the_statistics(ef, corpus):
    query._stats.clear()
    with district_context("vaishali"):
        assert query._share(query._match(["mahua"], fuzzy=False, prefix=False)) == 0.0  # never analysed
        _analyse()
        common = query._share(query._match(["mahua"], fuzzy=False, prefix=False))
        rare = query._share(query._match(["zzqx"], fuzzy=False, prefix=False))
        both = query._share(query._match(["mahua", "zzqx"], fuzzy=False, prefix=False))
    assert 0.4 <= common <= 1.0  # "Mahua"/"महुआ" is in most of the corpus's rows
    assert rare == 0.0 and both == 0.0


@pytest.mark.parametrize("key", ["sp", "sho", "clerk"])
def test_the_sps_walk_finds_what_the_index_finds_and_only_the_sp_walks(ef, corpus, monkeypatch, key):
    walks = []
    real = query._groups

    def spy(visible_of, match, kinds, cap, *, walk=False):
        walks.append(walk)
        return real(visible_of, match, kinds, cap, walk=walk)

    with district_context("vaishali"):
        _analyse()
        by_index = search(viewer(ef, key), "mahua")
        monkeypatch.setattr(query, "WALK_ABOVE", 0.0001)
        monkeypatch.setattr(query, "_groups", spy)
        walked = search(viewer(ef, key), "mahua")
    assert walks[0] is (key == "sp")
    assert found(walked) == found(by_index) and walked.counts == by_index.counts
    assert (
        ("file", corpus.secret.pk) in found(walked)
        if key in ("sp", "sho")
        else ("file", corpus.secret.pk) not in found(walked)
    )


@pytest.mark.parametrize("walk_rows, statements", [(1000, ["walk"]), (1, ["walk", "index"])])
def test_the_walk_stops_at_the_cap_and_gives_way_to_the_index_when_its_rows_run_out(
    ef, corpus, monkeypatch, walk_rows, statements
):
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(query, "WALK_ABOVE", 0.0001)
    monkeypatch.setattr(query, "WALK_ROWS", walk_rows)
    monkeypatch.setattr(query, "CAP", 1)
    monkeypatch.setattr(query, "FUZZY_BELOW", 0)  # no partial words or typos after the walk
    with district_context("vaishali"):
        _analyse()
        with CaptureQueriesContext(connection) as captured:
            results = search(viewer(ef, "sp"), "mahua", kinds=["file"])
    ranking = [q["sql"] for q in captured.captured_queries if "ts_rank_cd" in q["sql"]]
    assert ["walk" if "SELECT w.*" in sql else "index" for sql in ranking] == statements
    (group,) = results.groups
    assert group.capped and group.count == 1  # two files say "Mahua": one counted, "1+"
