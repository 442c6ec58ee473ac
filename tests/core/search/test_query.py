"""The search on a fixed corpus (conftest): Hindi and English stems, both scripts, typos, exact
numbers; what a viewer may not see never shows, not in hits, counts or highlights; another
district's records never show."""

from core.base.access import NOBODY
from core.search.highlight import Highlighter
from core.search.query import search
from tenants.context import district_context
from tests.core.search.conftest import found, viewer


def hits(ef, key, q, **filters):
    with district_context("vaishali"):
        return found(search(viewer(ef, key), q, **filters))


def test_inflected_hindi_finds_its_stem(ef, corpus):
    assert ("case", corpus.case.pk) in hits(ef, "sp", "कांडों")


def test_english_stemming_finds_the_singular(ef, corpus):
    assert {("rti", corpus.rti.pk), ("file", corpus.file.pk)} <= hits(ef, "sp", "thefts")


def test_latin_name_finds_its_devanagari_form(ef, corpus):
    assert ("receipt", corpus.receipt.pk) in hits(ef, "clerk", "mahua")  # only "महुआ" in the record
    assert ("case", corpus.case.pk) in hits(ef, "sp", "paswan")  # "पासवान"
    assert ("document", corpus.document.pk) in hits(ef, "sp", "lalganj")  # "लालगंज" in a page's text


def test_devanagari_name_finds_its_latin_form(ef, corpus):
    assert ("rti", corpus.rti.pk) in hits(ef, "sp", "वैशाली")  # only "Vaishali" in the record
    assert ("file", corpus.file.pk) in hits(ef, "sp", "महुआ")  # only "Mahua" in the file


def test_typos_and_partial_words_in_names_are_found(ef, corpus, trigram):
    for q in ("mahau", "mahu", "Mahuaa"):
        assert ("receipt", corpus.receipt.pk) in hits(ef, "clerk", q), q
    assert ("case", corpus.case.pk) in hits(ef, "sp", "Shyaam Kumar")


def test_typo_in_a_number_finds_the_case(ef, corpus, trigram):
    wrong = f"123/{corpus.year}"[:-2] + f"{corpus.year}"[::-1][:2]  # the year's last digits swapped
    assert wrong != f"123/{corpus.year}"
    assert ("case", corpus.case.pk) in hits(ef, "sp", wrong)


def test_without_pg_trgm_typos_find_nothing_and_words_still_work(ef, corpus, monkeypatch):
    from core.search import query

    monkeypatch.setattr(query, "trigram_available", lambda connection: False)
    assert ("receipt", corpus.receipt.pk) not in hits(ef, "clerk", "mahau")  # a typo: no trigrams
    assert ("receipt", corpus.receipt.pk) in hits(ef, "clerk", "mahua")


def test_words_that_match_nothing_find_nothing(ef, corpus):
    with district_context("vaishali"):
        results = search(viewer(ef, "sp"), "zzqx kkvw")
    assert results.groups == [] and results.total == 0


def test_exact_numbers_name_the_one_record_that_carries_them(ef, corpus):
    with district_context("vaishali"):
        sp = viewer(ef, "sp")
        for q, kind, pk in (
            (f"123/{corpus.year}", "case", corpus.case.pk),
            (f"mahua/123/{corpus.year}", "case", corpus.case.pk),
            (corpus.file.number.lower(), "file", corpus.file.pk),
            (corpus.receipt.diary_number, "receipt", corpus.receipt.pk),
            (corpus.rti.number, "rti", corpus.rti.pk),
        ):
            jump = search(sp, q).jump
            assert (jump.kind, jump.object_id) == (kind, pk), q


def test_another_officers_confidential_file_never_shows_not_even_in_counts(ef, corpus):
    with district_context("vaishali"):
        clerk = viewer(ef, "clerk")
        assert search(clerk, "godown").groups == []
        assert search(clerk, corpus.secret.number).jump is None
        mahua = search(clerk, "Mahua")
        assert mahua.counts.get("file") == 1 and ("file", corpus.secret.pk) not in found(mahua)
        assert "godown" not in " ".join(mahua.terms)
        # The SDPO of Mahnar supervises nothing over Mahua thana.
        assert search(viewer(ef, "mahnar"), "godown").groups == []
        # The SHO whose desk it is finds it.
        assert ("file", corpus.secret.pk) in found(search(viewer(ef, "sho"), "godown"))


def test_a_viewer_who_sees_nothing_gets_nothing(ef, corpus):
    with district_context("vaishali"):
        assert search(NOBODY, "mahua").groups == []


def test_another_districts_records_never_show(ef, corpus):
    with district_context("vaishali"):
        seen = search(viewer(ef, "sp"), "शिकायत")
    assert found(seen) == {("receipt", corpus.receipt.pk)}
    assert seen.groups[0].hits[0].identifiers.startswith("SPVAI/")
    with district_context("muzaffarpur"):
        other = search(viewer(ef, "other"), "mahua")
    assert found(other) == {("receipt", corpus.other_receipt.pk)}
    assert other.groups[0].hits[0].identifiers.startswith("SPMZP/")


def test_filters_narrow_by_kind_office_date_and_status(ef, corpus):
    assert hits(ef, "sp", "mahua", kinds=["case"]) == {("case", corpus.case.pk)}
    thana = ef.offices["ef-thana-mahua"].pk
    # The thana's case and file, and the people posted there (their posts and office name Mahua).
    assert hits(ef, "sp", "mahua", office_id=thana) == {
        ("case", corpus.case.pk), ("file", corpus.secret.pk),
        ("person", ef.people["sho"].pk), ("person", ef.people["si"].pk),
    }  # fmt: skip
    sdpo_office = ef.offices["ef-sdpo-mahua"].pk  # its subtree holds the thana
    assert ("case", corpus.case.pk) in hits(ef, "sp", "mahua", office_id=sdpo_office)
    assert hits(ef, "sp", "mahua", date_to=corpus.case.registered_on.replace(year=2000)) == set()
    assert hits(ef, "sp", "mahua", status="registered") == {("case", corpus.case.pk)}


def test_best_first_a_title_match_ranks_above_a_body_match(ef, corpus):
    with district_context("vaishali"):
        [files] = search(viewer(ef, "sp"), "bicycles", kinds=["file"]).groups
    assert files.hits[0].object_id == corpus.file.pk


def test_highlighting_marks_stems_and_escapes_the_record_text():
    marker = Highlighter(["theft", "कांड"])
    assert str(marker.title("Thefts <b>near</b> the कांडों")) == (
        "<mark>Thefts</mark> &lt;b&gt;near&lt;/b&gt; the <mark>कांडों</mark>"
    )
    long = "word " * 100 + "theft here " + "tail " * 100
    snippet = str(marker.snippet(long))
    assert snippet.startswith("… ") and "<mark>theft</mark>" in snippet and snippet.endswith(" …")
