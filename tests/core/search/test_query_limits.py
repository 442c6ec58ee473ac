"""The bounds that keep a search fast on a big district: a kind counts its matches up to
``query.CAP`` ("1,000+") and ranks only that many; what the viewer may not see never fills the
cap; partial words and typos are looked for only when the whole words find little."""

import pytest

from core.search import query
from core.search.index import search_index_rebuild
from core.search.query import search
from tenants.context import district_context
from tests.core.search.conftest import dak, found, viewer


@pytest.fixture
def patrols(ef, corpus, monkeypatch):
    """Five dak on the clerk's desk and five on the SHO's (which the clerk may not see); typos are
    not looked for (they would be, below ``FUZZY_BELOW`` matches, with their own cap)."""
    monkeypatch.setattr(query, "FUZZY_BELOW", 0)
    with district_context("vaishali"):
        mine = [dak(ef, subject=f"Patrolling report {n}", sender="Beat officer") for n in range(5)]
        theirs = [dak(ef, "sho", subject=f"Patrolling report {n}", sender="Beat officer") for n in range(5)]
        search_index_rebuild()
    return mine, theirs


def test_a_kind_with_more_matches_than_the_cap_counts_the_cap_and_says_so(ef, patrols, monkeypatch):
    monkeypatch.setattr(query, "CAP", 3)
    with district_context("vaishali"):
        results = search(viewer(ef, "clerk"), "patrolling")
    [group] = results.groups
    assert (group.kind, group.count, group.capped, len(group.hits)) == ("receipt", 3, True, 3)
    assert results.capped and results.counts == {"receipt": 3}
    assert found(results) <= {("receipt", r.pk) for r in patrols[0]}


def test_a_kind_at_the_cap_is_counted_exactly(ef, patrols, monkeypatch):
    monkeypatch.setattr(query, "CAP", 5)
    with district_context("vaishali"):
        results = search(viewer(ef, "clerk"), "patrolling")
    assert results.counts == {"receipt": 5} and not results.capped


def test_records_the_viewer_may_not_see_never_fill_the_cap(ef, patrols, monkeypatch):
    monkeypatch.setattr(query, "CAP", 6)
    with district_context("vaishali"):
        clerk = search(viewer(ef, "clerk"), "patrolling")
        sho = search(viewer(ef, "sho"), "patrolling")
        sp = search(viewer(ef, "sp"), "patrolling")
    assert clerk.counts == {"receipt": 5} and not clerk.capped
    assert found(clerk) == {("receipt", r.pk) for r in patrols[0]}
    assert sho.counts == {"receipt": 5} and not sho.capped
    assert sp.counts == {"receipt": 6} and sp.capped  # the SP sees all ten


def test_the_page_shows_a_capped_count_with_a_plus(ef, patrols, monkeypatch):
    monkeypatch.setattr(query, "CAP", 3)
    client = ef.client("clerk")
    html = client.get("/search/", {"q": "patrolling"}).text
    assert "Dak (3+)" in html and "More than 3 records found" in html
    one_kind = client.get("/search/", {"q": "patrolling", "kind": "receipt"}).text
    assert "More than 3 match" in one_kind and one_kind.count("</mark> report") == 3
    monkeypatch.setattr(query, "CAP", 1000)
    html = client.get("/search/", {"q": "patrolling"}).text
    assert "Dak (5)" in html and "5 records found" in html and "More than" not in html


def test_partial_words_and_typos_are_looked_for_only_when_the_words_find_little(
    ef, patrols, monkeypatch, trigram
):
    calls = []
    real = query._match

    def spy(words, *, fuzzy=True, prefix=True):
        calls.append("typos" if fuzzy else "prefixes" if prefix else "words")
        return real(words, fuzzy=fuzzy, prefix=prefix)

    monkeypatch.setattr(query, "_match", spy)
    monkeypatch.setattr(query, "FUZZY_BELOW", 3)
    monkeypatch.setattr(query, "FUZZY_CAP", 1)
    with district_context("vaishali"):
        assert search(viewer(ef, "clerk"), "patrolling").counts == {"receipt": 5}
        assert calls == ["words"]
        calls.clear()
        typo = search(viewer(ef, "clerk"), "petrolling")  # nothing as typed: five by trigrams
        number = search(viewer(ef, "clerk"), patrols[0][0].diary_number)  # names one record
    assert calls == ["words", "prefixes", "typos", "words"]
    # Similar records are counted up to their own, smaller cap.
    assert typo.counts == {"receipt": 1} and typo.capped
    assert number.jump.object_id == patrols[0][0].pk
