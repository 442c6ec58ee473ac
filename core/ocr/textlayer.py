"""Whether a PDF's text layer says what its page shows, for Devanagari.

Many PDF producers draw Hindi correctly but write a text layer that reads wrong: a shaped glyph
(a conjunct, a vowel sign placed before its consonant, a ligature of a sign and the anusvara)
with no Unicode mapping comes out as a control character or a stray symbol ("अधि\\tकार",
"प्राथमि'की"), and glyphs positioned one by one come out with spaces inside words ("घा ट",
"सा त दि नों के भी तर"). Such text cannot be searched or quoted, so the page is read by OCR
instead (``core.ocr.reader``).

A text layer is judged broken when any of these is frequent among its Devanagari:

- a dependent vowel sign, virama or nukta that begins a word (no Hindi word begins with one);
- a control, private-use or replacement character, or a symbol, inside a Devanagari word;
- words split into syllables: most Devanagari "words" are a single syllable (akshara), where
  ordinary Hindi prose has about a quarter of them (के, की, का, है, में …).

Text with too little Devanagari to judge is never called broken: English text layers are kept.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Letters that start a syllable: independent vowels and consonants (with the extended ones).
_STARTERS = {*range(0x0904, 0x0915), *range(0x0915, 0x093A), *range(0x0958, 0x0962), *range(0x0972, 0x0980)}
# Signs that belong to the letter before them: candrabindu, anusvara, visarga, nukta, vowel signs,
# virama, stress signs and the vocalic vowel signs.
_DEPENDENT = {
    *range(0x0900, 0x0904),
    *range(0x093A, 0x0950),
    *range(0x0951, 0x0958),
    0x0962,
    0x0963,
}
VIRAMA = 0x094D
NUKTA = 0x093C
# What may sit between two Devanagari letters without a space in well-made text.
_JOINERS = set("-/.,:;।॥\u200c\u200d")

# Below these counts there is too little Devanagari to judge.
MIN_LETTERS = 12
MIN_WORDS = 6
# Broken when at least this share of Devanagari words is damaged by a stray sign or character…
BAD_SHARE = 0.05
# …or when at least this share of them is a single syllable.
SINGLE_SYLLABLE_SHARE = 0.55


def _devanagari(ch: str) -> bool:
    return 0x0900 <= ord(ch) <= 0x097F


def _syllables(word: str) -> int:
    """Aksharas in a Devanagari word: a starter letter begins one, unless a virama joins it to
    the letter before (a conjunct)."""
    count, after_virama = 0, False
    for ch in word:
        code = ord(ch)
        if code in _STARTERS and not after_virama:
            count += 1
        after_virama = code == VIRAMA or (after_virama and code == NUKTA)
    return count


@dataclass(frozen=True)
class TextLayerCheck:
    words: int  # Devanagari words
    bad: int  # of them, beginning with a dependent sign or holding a stray character
    single_syllable: int

    @property
    def broken(self) -> bool:
        if self.words == 0:
            return False
        if self.bad >= 2 and self.bad >= BAD_SHARE * self.words:
            return True
        return self.words >= MIN_WORDS and self.single_syllable >= SINGLE_SYLLABLE_SHARE * self.words


def _stray(ch: str) -> bool:
    if ch in _JOINERS or _devanagari(ch):
        return False
    category = unicodedata.category(ch)
    return category[0] in "CSP" or ch == "\ufffd"


def text_layer_check(text: str) -> TextLayerCheck:
    """Count the signs of a broken Devanagari text layer in ``text`` (see the module's docstring)."""
    if sum(_devanagari(ch) for ch in text) < MIN_LETTERS:
        return TextLayerCheck(0, 0, 0)
    words = bad = single = 0
    # A "word" runs between spaces and line breaks; other control characters (a tab, a lone
    # carriage return) count as part of the word, so that "अधि\tकार" is one damaged word.
    for token in text.replace("\r\n", "\n").replace("\n", " ").split(" "):
        letters = [ch for ch in token if _devanagari(ch)]
        if not letters:
            continue
        words += 1
        first = letters[0]
        starts_with_sign = ord(first) in _DEPENDENT and token.index(first) == 0
        inner = token[token.index(first) : len(token) - token[::-1].index(letters[-1])]
        # An unmapped glyph: a control, private-use or unassigned character anywhere in the word.
        unmapped = any(unicodedata.category(ch) in ("Cc", "Co", "Cn") or ch == "\ufffd" for ch in token)
        if starts_with_sign or unmapped or any(_stray(ch) for ch in inner):
            bad += 1
        if _syllables(token) <= 1:
            single += 1
    return TextLayerCheck(words, bad, single)


def text_layer_broken(text: str) -> bool:
    """Whether ``text``, taken from a PDF's text layer, is Devanagari that reads wrong."""
    return text_layer_check(text).broken
