"""Names across the scripts: real district, thana and person names, both ways. The forms need not
be perfect, only findable: the Latin form of a Devanagari name is what people type, and a Latin
name's Devanagari form reads back to the same Latin (after folding)."""

import pytest

from core.search.script import latin_fold, latin_forms, other_script, query_forms, to_devanagari, to_latin

DEVANAGARI_TO_LATIN = [
    ("महुआ", "mahua"),
    ("वैशाली", "vaishali"),
    ("लालगंज", "lalganj"),
    ("महनार", "mahnar"),
    ("हाजीपुर", "hajipur"),
    ("मुज़फ़्फ़रपुर", "muzaffarpur"),
    ("सीतामढ़ी", "sitamarhi"),
    ("शिवहर", "shivhar"),
    ("राम कुमार यादव", "ram kumar yadav"),
    ("श्याम", "shyam"),
    ("सुनील पासवान", "sunil pasvan"),
    ("राजेश सिंह", "rajesh singh"),
    ("कृष्ण मिश्र", "krishna mishra"),
    ("संजय प्रसाद", "sanjay prasad"),
]


@pytest.mark.parametrize(("hindi", "latin"), DEVANAGARI_TO_LATIN)
def test_a_devanagari_name_has_the_latin_form_people_type(hindi, latin):
    forms = {latin_fold(form) for form in latin_forms(hindi)}
    for word in latin.split():
        assert latin_fold(word) in forms


def test_to_latin_drops_the_vowels_hindi_does_not_say():
    assert to_latin("लालगंज थाना, महनार") == "lalganj thana, mahnar"
    assert to_latin("Case 12 of महुआ") == "Case 12 of mahua"


@pytest.mark.parametrize(
    "latin",
    ["mahua", "vaishali", "lalganj", "mahnar", "hajipur", "shyam", "sunil", "rajesh", "yadav", "patna"],
)
def test_a_latin_name_in_devanagari_reads_back_to_itself(latin):
    hindi = to_devanagari(latin)
    assert hindi and all("\u0900" <= c <= "\u097f" for c in hindi)
    assert latin_fold(latin) in {latin_fold(form) for form in latin_forms(hindi)}


def test_common_devanagari_forms_of_latin_names():
    assert to_devanagari("mahua") == "महुआ"
    assert to_devanagari("Vaishaali") == "वैशाली"


def test_the_index_keeps_both_scripts_and_folded_spellings():
    assert "mahua" in other_script("महुआ थाना").split()
    assert "lalaganj" in other_script("लालगंज").split()  # the form with the medial vowel too
    kept = other_script("Muzaffarpur").split()
    assert "mujafarpur" in kept and any("\u0900" <= c <= "\u097f" for c in "".join(kept))


def test_query_forms_give_the_other_script_and_the_folded_spelling():
    assert "mahua" in query_forms("महुआ")
    assert "वैशली" in query_forms("vaishali") or "वैशाली" in query_forms("vaishali")
    assert "pasvan" in query_forms("Paswan")
    assert query_forms("123/2025") == []
