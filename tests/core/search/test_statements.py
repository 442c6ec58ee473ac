"""What a search sends to the database (issue 15: fast for every officer): each pass is one
statement for every kind, written by hand with the viewer's sight in its WHERE; an officer's search
sends no more statements than the SP's but the one that reads their sight keys; the pass's tsquery
holds each alternative once, and finds exactly what the repeated form finds, in the same order."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.search import query
from core.search.query import search
from core.search.tsquery import tsquery_simplified
from tenants.context import district_context
from tests.core.search.conftest import found, viewer


@pytest.mark.parametrize(
    "text, simplified",
    [
        ("'land' | 'land' | 'land' | 'लन्द'", "'land' | 'लन्द'"),
        (
            "( 'land' | 'land' | 'लन्द' ) & ( 'disput' | 'dispute' | 'disput' ) | 'भूमि' & 'विवाद'",
            "( 'land' | 'लन्द' ) & ( 'disput' | 'dispute' ) | 'भूमि' & 'विवाद'",
        ),
        ("( 'a' | 'b' ) & ( 'c' | 'c' )", "( 'a' | 'b' ) & 'c'"),
        ("'a' & ( 'b' | 'c' & 'd' )", "'a' & ( 'b' | 'c' & 'd' )"),
        ("'mahu':* | 'mahu' | 'mahu':*", "'mahu':* | 'mahu'"),
        ("'o''brien':*A & !'x' | 'y' <-> 'z'", "'o''brien':*A & !'x' | 'y' <-> 'z'"),
        ("", ""),
    ],
)
def test_repeated_alternatives_are_left_out_and_nothing_else_changes(text, simplified):
    assert tsquery_simplified(text) == simplified


def test_a_simplified_tsquery_matches_what_the_repeated_one_matches(db):
    texts = [
        "( 'land' | 'land' | 'लन्द' ) & ( 'disput' | 'dispute' | 'disput' ) | 'भूमि' & 'विवाद'",
        "( 'a' | 'b' ) & ( 'c' | 'c' ) | !'a' & 'b'",
    ]
    vectors = ["land dispute", "भूमि विवाद", "a c", "b", "c", "disput लन्द", "b c"]
    with connection.cursor() as cursor:
        for text in texts:
            for vector in vectors:
                cursor.execute(
                    "SELECT to_tsvector('simple', %s) @@ %s::tsquery, to_tsvector('simple', %s) @@ %s::tsquery",
                    [vector, text, vector, tsquery_simplified(text)],
                )
                repeated, simplified = cursor.fetchone()
                assert repeated == simplified, (text, vector)


def test_an_unreadable_tsquery_is_refused():
    with pytest.raises(ValueError):
        tsquery_simplified("( 'a' & 'b'")


QUERIES = ["mahua", "theft", "चोरी", "महुआ थाना", "motorcycle", "sunil paswan", "godown"]


@pytest.mark.parametrize("key", ["sp", "sho", "clerk"])
def test_the_simplified_passes_find_the_same_records_in_the_same_order(ef, corpus, monkeypatch, key):
    with district_context("vaishali"):
        simplified = {q: search(viewer(ef, key), q) for q in QUERIES}
        monkeypatch.setattr(query, "tsquery_simplified", lambda text: text)
        repeated = {q: search(viewer(ef, key), q) for q in QUERIES}
    for q in QUERIES:
        ordered = [[(hit.kind, hit.object_id) for hit in group.hits] for group in simplified[q].groups]
        assert ordered == [
            [(hit.kind, hit.object_id) for hit in group.hits] for group in repeated[q].groups
        ], q
        assert simplified[q].counts == repeated[q].counts, q
    assert any(simplified[q].total for q in QUERIES)


def _statements(ef, key, q) -> tuple[list[str], int]:
    """The statements of a warm search (the viewer read before), and how many passes it ran."""
    with district_context("vaishali"):
        officer = viewer(ef, key)
        search(officer, q)  # warm (the hindi configuration, the statistics)
        with CaptureQueriesContext(connection) as captured:
            search(officer, q)
    statements = [entry["sql"] for entry in captured.captured_queries]
    return statements, sum(1 for sql in statements if "ts_rank_cd" in sql)


@pytest.mark.parametrize("q", ["mahua", "mahau", "zzqx"])
def test_an_officers_search_sends_no_more_statements_than_the_sps_but_their_keys(ef, corpus, q):
    """An officer's search, pass for pass, sends what the SP's does and one statement more: the
    one that reads their sight keys. Each pass is one statement for every kind, with the viewer's
    keys in its WHERE (the SP's has none). On the small corpus each of these finds little, so
    runs the partial words' pass, and "mahau" the typos' too."""
    sp, sp_passes = _statements(ef, "sp", q)
    assert sp_passes == (3 if q == "mahau" else 2)
    for key in ("sho", "clerk", "pio"):
        theirs, passes = _statements(ef, key, q)
        assert passes == sp_passes, (key, passes, sp_passes)
        assert len(theirs) <= len(sp) + 1, (key, theirs, sp)
        ranked = [sql for sql in theirs if "ts_rank_cd" in sql]
        assert all(sql.count("sight_keys &&") == len(query.VISIBLE) for sql in ranked)
    assert not any("sight_keys &&" in sql for sql in sp)


def test_an_officers_filters_narrow_within_what_they_may_see(ef, corpus):
    thana = ef.offices["ef-thana-mahua"].pk
    later_than_all = corpus.case.registered_on + datetime.timedelta(days=400)
    with district_context("vaishali"):
        sho = viewer(ef, "sho")
        every = found(search(sho, "mahua"))
        by_office = found(search(sho, "mahua", office_id=thana))
        later = found(search(sho, "mahua", date_from=later_than_all))
        registered = found(search(sho, "mahua", status="registered"))
        clerk = found(search(viewer(ef, "clerk"), "mahua", office_id=thana))
    assert ("case", corpus.case.pk) in by_office and by_office <= every
    assert later == set()
    assert registered == {("case", corpus.case.pk)}
    assert ("file", corpus.secret.pk) in every and ("file", corpus.secret.pk) not in clerk


def test_the_typo_pass_runs_only_where_a_similar_word_stands_in(ef, corpus, trigram):
    """ "mahua" is in the dictionary and "zzqx" is like nothing there: their typo pass would be the
    first pass again, so it is not run, and the partial words' finds stay; "mahau" has "mahua"
    standing in for it, and its typo pass runs."""
    for q, passes in (("mahua", 2), ("zzqx", 2), ("mahau", 3)):
        for key in ("sp", "sho"):
            assert _statements(ef, key, q)[1] == passes, (q, key)
    with district_context("vaishali"):
        mahua = search(viewer(ef, "sho"), "mahua")
    # the partial words' pass found them (more than the words as typed, and counted to CAP)
    assert ("case", corpus.case.pk) in found(mahua)
    assert not mahua.capped
