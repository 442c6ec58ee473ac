"""The police glossary expanded at index time (issue 15: search fast for every officer): each
term's union of forms is stored with a token, every index row carries the tokens of the terms it
matches, and the search asks the index for the token instead of the union, only where the rows
were tokenized for exactly the union it would ask; results are the same as asking the union."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from core.base.access import NOBODY
from core.search import glossary as glossary_module
from core.search import query
from core.search.glossary_index import glossary_definitions, glossary_refresh, tokens_plan, tokens_sql
from core.search.index import search_index_records
from core.search.query import search
from core.search.tsquery import tsquery_keys
from tenants.context import district_context
from tests.core.search.conftest import dak, found, viewer

QUERIES = [
    "theft",
    "Theft",
    "thefts",
    "चोरी",
    "motorcycle theft",
    "chargesheet",
    "charge sheet",
    "आरोप पत्र",
    "चोरी mahua",
    "bail",
    "raid",
    "छापा",
    "mahua",
    "case 123",
    "मोटर",
]
# The search asked without tokens: no stored definition is ever the one the query would ask.
WITHOUT_TOKENS = "(SELECT NULL::text WHERE ({})::text IS NULL)"


def _texts(q: str, *, prefix: bool = False) -> tuple[str, str]:
    return query._tsquery_texts(query.query_words(q), prefix=prefix, similar=None)


def _signature(results) -> tuple:
    groups = tuple((g.kind, g.count, g.capped, tuple(hit.pk for hit in g.hits)) for g in results.groups)
    return groups, results.jump.pk if results.jump else None, tuple(results.terms)


def _carries(kind: str, pk: int, tsquery: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT document @@ %s::tsquery FROM core_searchentry WHERE kind = %s AND object_id = %s",
            [tsquery, kind, pk],
        )
        return cursor.fetchone()[0]


def test_the_rebuild_stores_each_terms_union_and_the_rows_carry_its_token(ef, corpus):
    with district_context("vaishali"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM core_searchglossary")
            assert cursor.fetchone()[0] == len(glossary_definitions()) > 400
        full, compact = _texts("theft")
        assert "'चोरी'" in full and "'theft'" in full
        assert compact.startswith("'~ ") and compact.count("'") == 2  # one lexeme: the token
        # the dak is written only in Hindi ("... चोरी की शिकायत"), the file only in English
        assert _carries("receipt", corpus.receipt.pk, compact)
        assert _carries("file", corpus.file.pk, compact)
        assert not _carries("file", corpus.secret.pk, compact)  # the raid: no theft
        # a term of several words is one token too; a word outside the glossary is asked as before
        assert _texts("charge sheet")[1].count("'") == 2
        assert _texts("mahua")[0] == _texts("mahua")[1]
        # the prefix pass keeps the word's prefix beside the token
        full, compact = _texts("theft", prefix=True)
        assert "'theft':*" in compact and "'~ " in compact


@pytest.mark.parametrize("key", ["sp", "sdpo", "sho", "clerk", "pio"])
def test_the_search_finds_the_same_with_and_without_the_tokens(ef, corpus, monkeypatch, key):
    with district_context("vaishali"):
        with_tokens = {q: _signature(search(viewer(ef, key), q)) for q in QUERIES}
        monkeypatch.setattr(query, "_GLOSSARY_SQL", WITHOUT_TOKENS)
        assert _texts("theft")[0] == _texts("theft")[1]
        without = {q: _signature(search(viewer(ef, key), q)) for q in QUERIES}
    assert with_tokens == without
    assert any(groups for groups, _jump, _terms in with_tokens.values())


def test_tokens_give_no_one_more_than_their_sight(ef, corpus):
    with district_context("vaishali"):
        assert search(NOBODY, "theft").groups == []
        assert ("file", corpus.secret.pk) in found(search(viewer(ef, "sho"), "छापा"))
        assert ("file", corpus.secret.pk) not in found(search(viewer(ef, "clerk"), "छापा"))
    with district_context("muzaffarpur"):
        assert found(search(viewer(ef, "other"), "theft")) == {("receipt", corpus.other_receipt.pk)}


def test_a_union_the_rows_were_not_tokenized_for_is_asked_by_its_forms(ef, corpus):
    with district_context("vaishali"):
        sp = viewer(ef, "sp")
        before = _signature(search(sp, "theft"))
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_searchglossary SET definition = definition || ' '")
        full, compact = _texts("theft")
        assert compact == full
        assert _signature(search(sp, "theft")) == before
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_searchglossary")
        assert _signature(search(sp, "theft")) == before
        assert ("receipt", corpus.receipt.pk) in found(search(sp, "theft"))


def test_a_record_indexed_later_carries_the_tokens(ef, corpus):
    with district_context("vaishali"):
        later = dak(ef, subject="साइकिल चोरी का आवेदन", sender="अजय सिंह")
        search_index_records([("receipt", later.pk)])
        _full, compact = _texts("theft")
        assert compact.startswith("'~ ") and _carries("receipt", later.pk, compact)
        assert ("receipt", later.pk) in found(search(viewer(ef, "sp"), "theft"))


def test_a_glossary_change_reaches_every_row_through_the_refresh(ef, corpus, monkeypatch, tmp_path):
    data = tmp_path / "glossary.txt"
    data.write_text(glossary_module.DATA.read_text(encoding="utf-8") + "informer\tमुखबिर\n", encoding="utf-8")
    monkeypatch.setattr(glossary_module, "DATA", data)
    glossary_module.glossary.cache_clear()
    try:
        with district_context("vaishali"):
            sho, clerk = viewer(ef, "sho"), viewer(ef, "clerk")
            # before the refresh the new term is asked by its forms: found all the same
            full, compact = _texts("मुखबिर")
            assert compact == full and "'inform'" in full  # the English stem
            assert ("file", corpus.secret.pk) in found(search(sho, "मुखबिर"))
            done = glossary_refresh()
            assert done["added"] >= 1 and done["rows"] > 0
            _full, compact = _texts("मुखबिर")
            assert compact.startswith("'~ ") and _carries("file", corpus.secret.pk, compact)
            assert ("file", corpus.secret.pk) in found(search(sho, "मुखबिर"))
            assert ("file", corpus.secret.pk) not in found(search(clerk, "मुखबिर"))
            assert glossary_refresh() == {**done, "added": 0, "dropped": 0, "rows": 0}
    finally:
        glossary_module.glossary.cache_clear()


def test_the_rebuild_command_rewrites_the_glossary_alone(ef, corpus):
    out = io.StringIO()
    call_command("search_rebuild", "--district", "vaishali", "--glossary", stdout=out)
    assert "vaishali: glossary" in out.getvalue() and "0 new, 0 gone), 0 rows" in out.getvalue()


def test_the_rows_carry_exactly_the_tokens_of_the_definitions_they_match(ef, corpus):
    """Every row of the corpus (and one indexed later) carries the token of each definition it
    matches and no other; the bulk way (``TOKENS_SQL``: the rows' lexemes joined with the terms'
    keys) finds the same tokens."""
    with district_context("vaishali"):
        later = dak(ef, subject="पुलिस अधीक्षक को मोटरसाइकिल चोरी का आवेदन", sender="अजय सिंह")
        search_index_records([("receipt", later.pk)])
        with transaction.atomic(), connection.cursor() as cursor, tokens_plan(cursor):
            cursor.execute(
                "SELECT e.id, ARRAY(SELECT t FROM unnest(tsvector_to_array(e.document)) t "
                "WHERE t LIKE '~ %%' ORDER BY t), ARRAY(SELECT g.token FROM core_searchglossary g "
                "WHERE e.document @@ g.definition::tsquery ORDER BY g.token), "
                "ARRAY(SELECT t FROM unnest(tsvector_to_array(b.tokens)) t ORDER BY t) "
                f"FROM core_searchentry e LEFT JOIN ({tokens_sql('SELECT id, document FROM core_searchentry')}) b "
                "ON b.id = e.id"
            )
            rows = cursor.fetchall()
    assert len(rows) > 5
    assert all(carried == matched for _pk, carried, matched, _bulk in rows), rows
    assert all((bulk or []) == matched for _pk, _carried, matched, bulk in rows), rows
    assert sum(len(carried) for _pk, carried, _matched, _bulk in rows) > 10


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("'theft' | 'चोरी'", ["theft", "चोरी"]),
        # of an "&", the operand with the longest lexemes stands for it
        (
            "( 'of' | 'ओफ़' ) & ( 'superintend' | 'अधीक्षक' ) | 'अपर' & 'पुलिस'",
            ["superintend", "अधीक्षक", "पुलिस"],
        ),
        ("'charg' <-> 'sheet'", ["charg"]),
        ("'it''s':AB", ["it's"]),
        ("'mahu':* & 'thana'", ["thana"]),
        ("'mahu':* | 'thana'", None),  # a prefix: no lexeme need be held
        ("!'theft'", None),
    ],
)
def test_the_keys_of_a_definition_are_lexemes_every_match_holds_one_of(text, keys):
    assert tsquery_keys(text) == keys
