"""Names across the two scripts, so that "mahua" finds "महुआ" and "वैशाली" finds "Vaishali".

Pure functions, no database. Devanagari goes to a plain lowercase Latin form the way people type
names (``to_latin``): the IAST output of ``indic_transliteration.sanscript`` without diacritics
(ā→a, ś→sh, c→ch, anusvara→n/m), with the inherent vowel dropped where Hindi drops it (at the end
of a word, and between two consonants in V C a C V: "लालगंज" → "lalganj", "महनार" → "mahnar").
Because that rule has exceptions ("सीतामढ़ी" is "sitamarhi", not "sitamrhi"), ``latin_forms``
also gives the form with only the final vowel dropped; the index keeps both. Latin goes to
Devanagari through the ITRANS scheme after folding the usual spellings ("aa", "ee", a final "a"
that is long), good enough to find, not to print (``to_devanagari``).

Search must find; the forms need not be perfect: trigram similarity covers the rest.
"""

from __future__ import annotations

import re
import unicodedata

from indic_transliteration import sanscript

DEVANAGARI = re.compile(r"[\u0900-\u097F]")
# A word in either script: letters, digits, Devanagari vowel signs and virama.
WORD = re.compile(r"[\w\u0900-\u097F]+")
_DEV_WORD = re.compile(r"[\u0900-\u097F]+")
_LATIN_WORD = re.compile(r"[a-z]+")

_VOWELS = ("ai", "au", "ā", "ī", "ū", "ṛ", "ṝ", "ḷ", "a", "i", "u", "e", "o")
_ASPIRABLE = set("kgcjṭḍtdpb") | {"r̤"}
# Diacritics of IAST as people type them.
_PLAIN = [
    ("jñ", "gy"),
    ("kṣ", "ksh"),
    ("ṛ", "ri"),
    ("ṝ", "ri"),
    ("ḷ", "l"),
    ("ś", "sh"),
    ("ṣ", "sh"),
    ("c", "ch"),
    ("ṅ", "n"),
    ("ñ", "n"),
    ("ṇ", "n"),
    ("ṭ", "t"),
    ("ḍ", "d"),
    ("ḥ", "h"),
    ("r̤", "r"),
    ("~", "n"),
    ("ā", "a"),
    ("ī", "i"),
    ("ū", "u"),
]


def has_devanagari(text: str) -> bool:
    return bool(DEVANAGARI.search(text or ""))


def _tokens(iast: str) -> list[str]:
    """An IAST word as phonemes: vowels, consonants (an aspirate with its "h"), anusvara."""
    tokens: list[str] = []
    i = 0
    while i < len(iast):
        for vowel in _VOWELS:
            if iast.startswith(vowel, i):
                tokens.append(vowel)
                i += len(vowel)
                break
        else:
            char = iast[i]
            if i + 1 < len(iast) and unicodedata.combining(iast[i + 1]):
                char += iast[i + 1]  # r̤ (ड़/ढ़)
            i += len(char)
            if char == "h" and tokens and tokens[-1] in _ASPIRABLE:
                tokens[-1] += "h"
            else:
                tokens.append(char)
    return tokens


def _is_vowel(token: str | None) -> bool:
    return token is not None and token in _VOWELS


def _is_consonant(token: str | None) -> bool:
    return token is not None and not _is_vowel(token) and token not in ("ṃ", "~", "ḥ")


def _drop_schwas(tokens: list[str], *, medial: bool) -> list[str]:
    """Drop the inherent "a" Hindi does not say: at the end of a word of two syllables or more,
    and (``medial``) in V C a C V, right to left, never two in a row."""
    tokens = list(tokens)
    syllables = sum(1 for t in tokens if _is_vowel(t))
    # Not after a cluster ("कृष्ण" is "krishna", "मिश्र" "mishra"), unless it begins with a nasal
    # ("गन्ज" is "ganj", as "गंज").
    single = len(tokens) < 3 or not _is_consonant(tokens[-3]) or tokens[-3] in ("n", "m", "ṅ", "ñ", "ṇ")
    if syllables > 1 and tokens[-1] == "a" and _is_consonant(tokens[-2]) and single:
        tokens.pop()
    if not medial:
        return tokens
    i = len(tokens) - 2
    while i >= 2:
        around = tokens[i - 2 : i + 3]
        if (
            tokens[i] == "a"
            and len(around) == 5
            and _is_vowel(around[0])
            and _is_consonant(around[1])
            and _is_consonant(around[3])
            and _is_vowel(around[4])
        ):
            del tokens[i]
            i -= 2
        i -= 1
    return tokens


def _plain(iast_tokens: list[str]) -> str:
    text = "".join(iast_tokens)
    # Anusvara before a lip consonant is an m ("अंबिका" → "ambika"), else an n.
    text = re.sub(r"ṃ(?=[pbm])", "m", text).replace("m̐", "n")
    text = re.sub(r"ṃ(?=h)", "ng", text).replace("ṃ", "n")  # "सिंह" → "singh"
    for iast, plain in _PLAIN:
        text = text.replace(iast, plain)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _word_forms(word: str) -> tuple[str, str]:
    iast = sanscript.transliterate(word, sanscript.DEVANAGARI, sanscript.IAST)
    iast = unicodedata.normalize("NFC", iast)
    tokens = _tokens(iast)
    return _plain(_drop_schwas(tokens, medial=True)), _plain(_drop_schwas(tokens, medial=False))


def to_latin(text: str) -> str:
    """Devanagari words of ``text`` in plain lowercase Latin, as people type them; other words
    are kept as they are."""
    return _DEV_WORD.sub(lambda m: _word_forms(m.group())[0], text or "")


def latin_forms(text: str) -> list[str]:
    """Every Latin form of the Devanagari words of ``text`` (with and without the medial vowel
    dropped), each once, in order."""
    forms: list[str] = []
    for word in _DEV_WORD.findall(text or ""):
        for form in _word_forms(word):
            if form and form not in forms:
                forms.append(form)
    return forms


def latin_fold(word: str) -> str:
    """A Latin word folded the way spellings of one Hindi name vary: "Vaishaali", "Muzaffarpur",
    "Paswan" → "vaishali", "mujafarpur", "pasvan" (long vowels and doubled letters made single,
    ph→f, z→j, w→v)."""
    word = word.lower()
    for long, short in (("ee", "i"), ("oo", "u"), ("ph", "f"), ("z", "j"), ("w", "v")):
        word = word.replace(long, short)
    return re.sub(r"(.)\1+", r"\1", word)


def _itrans(word: str) -> str:
    word = word.lower()
    for long, short in (("aa", "A"), ("ee", "I"), ("oo", "U"), ("w", "v")):
        word = word.replace(long, short)
    # A final a or i of a name is long more often than not ("mahua", "vaishali").
    if len(word) > 2 and word[-1] in "ai":
        word = word[:-1] + word[-1].upper()
    return word


def to_devanagari(text: str) -> str:
    """Latin words of ``text`` in Devanagari (approximately: "mahua" → "महुआ", "lalganj" →
    "लल्गन्ज"); other words are kept as they are."""

    def one(match: re.Match) -> str:
        dev = sanscript.transliterate(_itrans(match.group()), sanscript.ITRANS, sanscript.DEVANAGARI)
        return dev.rstrip("\u094d")  # no virama at the end: the word ends in a consonant

    return re.sub(r"[A-Za-z]+", one, text or "")


def devanagari_in_latin(text: str) -> str:
    """Only the Devanagari words of ``text`` in Latin (both forms, and folded), each once: what
    the index keeps of a long body, where Latin words need no Devanagari twin."""
    forms = latin_forms(text)
    return " ".join(dict.fromkeys([*forms, *(latin_fold(form) for form in forms)]))


def other_script(text: str) -> str:
    """What the index keeps beside ``text``: its Devanagari words in Latin (both forms), its
    Latin words folded where that changes them, and in Devanagari."""
    parts = latin_forms(text)
    for form in list(parts):
        folded = latin_fold(form)
        if folded not in parts:
            parts.append(folded)
    latin_words = [w for w in _LATIN_WORD.findall((text or "").lower()) if len(w) > 1]
    for word in latin_words:
        folded = latin_fold(word)
        if folded != word and folded not in parts:
            parts.append(folded)
    seen = set(parts)
    for word in latin_words:
        dev = to_devanagari(word)
        if dev not in seen:
            seen.add(dev)
            parts.append(dev)
    return " ".join(parts)


def query_forms(word: str) -> list[str]:
    """The forms of one query word to look for besides itself: a Devanagari word in Latin, a
    Latin word folded and in Devanagari."""
    if has_devanagari(word):
        forms = latin_forms(word)
        return list(dict.fromkeys([*forms, *(latin_fold(form) for form in forms)]))
    if not _LATIN_WORD.fullmatch(word.lower()):
        return []
    forms = []
    for form in (latin_fold(word), to_devanagari(word.lower())):
        if form != word.lower() and form not in forms:
            forms.append(form)
    return forms


__all__ = [
    "WORD",
    "devanagari_in_latin",
    "has_devanagari",
    "latin_fold",
    "latin_forms",
    "other_script",
    "query_forms",
    "to_devanagari",
    "to_latin",
]
