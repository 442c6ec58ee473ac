"""The police glossary: an ordinary word of police paperwork finds its forms in the other language
("theft" a record written only "चोरी", and the reverse; "charge sheet" and "आरोप पत्र"), in every
kind and through the page, only among what the viewer may see and only in their district."""

from core.base.access import NOBODY
from core.search.glossary import DATA, glossary, glossary_forms, glossary_spans
from core.search.index import search_index_rebuild
from core.search.query import search
from tenants.context import district_context
from tests.core.search.conftest import dak, found, new_file, viewer


def test_the_glossary_holds_several_hundred_terms_both_ways():
    table = glossary()
    english = [term for term in table if term.isascii()]
    hindi = [term for term in table if not term.isascii()]
    assert len(english) >= 300 and len(hindi) >= 300
    pairs = {
        "motorcycle": "मोटरसाइकिल", "theft": "चोरी", "fir": "प्राथमिकी", "bail": "जमानत",
        "chargesheet": "आरोप पत्र", "accused": "अभियुक्त", "complainant": "वादी", "informant": "सूचक",
        "witness": "गवाह", "arrest": "गिरफ्तारी", "warrant": "वारंट", "seizure": "जब्ती",
        "murder": "हत्या", "robbery": "डकैती", "dowry": "दहेज",
    }  # fmt: skip
    for en, hi in pairs.items():
        assert hi in glossary_forms(en) and en in glossary_forms(hi), en
    assert "लूट" in glossary_forms("robbery") and "सूचक" in glossary_forms("complainant")
    assert "dacoity" in glossary_forms("डकैती") and "robbery" in glossary_forms("डकैती")
    # every line is a concept with both sides
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            english_side, hindi_side = line.split("\t")
            assert english_side.strip().isascii() and not hindi_side.isascii(), line


def test_terms_of_several_words_are_found_longest_first_and_plurals_too():
    [span] = glossary_spans(["Charge", "sheet"])
    assert (span.start, span.end) == (0, 2) and "आरोप पत्र" in span.forms
    [span] = glossary_spans(["आरोप", "पत्र"])
    assert "chargesheet" in span.forms
    spans = glossary_spans(["first", "information", "report", "of", "theft"])
    assert [(s.start, s.end) for s in spans] == [(0, 3), (4, 5)]
    assert "प्राथमिकी" in spans[0].forms and "चोरी" in spans[1].forms
    assert "चोरी" in glossary_forms("thefts") and "गवाह" in glossary_forms("witnesses")
    assert glossary_spans(["mahua", "xyz"]) == [] and glossary_forms("mahua") == ()


def test_theft_finds_a_record_written_only_chori_and_the_reverse(ef, corpus):
    with district_context("vaishali"):
        sp = viewer(ef, "sp")
        theft = found(search(sp, "theft"))
        chori = found(search(sp, "चोरी"))
        motorcycle = found(search(sp, "motorcycle"))
    # the receipt's subject is only Hindi ("... चोरी की शिकायत"), the case's facts too
    assert ("receipt", corpus.receipt.pk) in theft and ("case", corpus.case.pk) in theft
    # the file ("Thefts of bicycles ...") and the RTI application ("theft cases ...") only English
    assert ("file", corpus.file.pk) in chori and ("rti", corpus.rti.pk) in chori
    # "मोटरसाइकिल" is in the case's facts and in the document's page
    assert {("case", corpus.case.pk), ("document", corpus.document.pk)} <= motorcycle


def test_a_term_of_several_words_finds_its_one_word_form_and_the_reverse(ef, corpus):
    with district_context("vaishali"):
        hindi = dak(ef, subject="आरोप पत्र समर्पित करने हेतु निर्देश", sender="पुलिस अधीक्षक")
        english = new_file(ef, "clerk", "Chargesheet in Mahua PS case 7")
        search_index_rebuild()
        sp = viewer(ef, "sp")
        assert ("receipt", hindi.pk) in found(search(sp, "chargesheet"))
        assert ("receipt", hindi.pk) in found(search(sp, "charge sheet"))
        assert ("file", english.pk) in found(search(sp, "आरोप पत्र"))
        assert ("file", english.pk) in found(search(sp, "आरोप पत्र mahua"))
        # the words of a term still find it as typed
        assert ("receipt", hindi.pk) in found(search(sp, "आरोप पत्र"))


def test_the_glossary_finds_only_what_the_viewer_may_see_in_their_district(ef, corpus):
    with district_context("vaishali"):
        assert search(NOBODY, "theft").groups == []
        # the confidential raid file is the SHO's: "छापा" (raid) finds it for the SHO, not the clerk
        assert ("file", corpus.secret.pk) in found(search(viewer(ef, "sho"), "छापा"))
        assert ("file", corpus.secret.pk) not in found(search(viewer(ef, "clerk"), "छापा"))
    with district_context("muzaffarpur"):
        other = found(search(viewer(ef, "other"), "theft"))
    assert other == {("receipt", corpus.other_receipt.pk)}


def test_the_sdpo_finds_the_hindi_record_for_an_english_word_through_the_page(ef, corpus):
    html = ef.client("sdpo").get("/search/", {"q": "motorcycle theft"}).text
    assert f'href="/cases/{corpus.case.pk}/"' in html
    assert "<mark>मोटरसाइकिल</mark>" in html and "<mark>चोरी</mark>" in html
    reverse = ef.client("sdpo").get("/search/", {"q": "चोरी"}).text
    assert f'href="/files/{corpus.file.pk}/"' not in reverse  # the clerk's file: not the SDPO's
    assert f'href="/cases/{corpus.case.pk}/"' in reverse
