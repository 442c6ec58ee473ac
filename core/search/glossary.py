"""The police-domain glossary: an English term of police paperwork and its Hindi terms, so that
"theft" finds a record written "चोरी" and "आरोप पत्र" one written "chargesheet".

The terms are data (``data/police_glossary.txt``, one concept a line), read once per process.
Pure functions, no database: ``glossary_spans`` says which words of a query (alone or several in
a row: "first information report", "आरोप पत्र") are terms, and the other language's terms each
also finds. Transliteration (``core.search.script``) covers names; this covers the words that are
translated, not spelt, in the other script.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from core.search.script import has_devanagari

DATA = Path(__file__).with_name("data") / "police_glossary.txt"
# The longest term, in words, a query is looked up for.
LONGEST = 6
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Span:
    """Words ``start`` to ``end`` (exclusive) of a query make a term; ``forms`` are the other
    language's terms for it."""

    start: int
    end: int
    forms: tuple[str, ...]


def _key(term: str) -> str:
    return _SPACE.sub(" ", term.strip().lower())


@functools.cache
def glossary() -> dict[str, tuple[str, ...]]:
    """{term, lower-case: the other language's terms}, from the data file. A term on several
    lines ("जांच": inquiry, investigation, checking) gathers the other side of each."""
    table: dict[str, list[str]] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        english, hindi = line.split("\t")
        english_terms = [_key(t) for t in english.split(";") if t.strip()]
        hindi_terms = [_key(t) for t in hindi.split(";") if t.strip()]
        for terms, others in ((english_terms, hindi_terms), (hindi_terms, english_terms)):
            for term in terms:
                known = table.setdefault(term, [])
                known.extend(other for other in others if other not in known)
    return {term: tuple(others) for term, others in table.items()}


def _lookup(phrase: str) -> tuple[str, ...]:
    table = glossary()
    found = table.get(phrase)
    # An English plural the data holds in the singular ("thefts", "motorcycles", "witnesses").
    if found is None and not has_devanagari(phrase) and phrase.endswith("s") and len(phrase) > 3:
        found = table.get(phrase[:-1]) or (table.get(phrase[:-2]) if phrase.endswith("es") else None)
    return found or ()


def glossary_spans(words: list[str]) -> list[Span]:
    """The terms among ``words``, in order, without overlap: at each word the longest term that
    begins there (so "charge sheet" is one term, not "charge" and "sheet")."""
    keys = [_key(word) for word in words]
    spans: list[Span] = []
    start = 0
    while start < len(keys):
        for end in range(min(len(keys), start + LONGEST), start, -1):
            forms = _lookup(" ".join(keys[start:end]))
            if forms:
                spans.append(Span(start, end, forms))
                start = end
                break
        else:
            start += 1
    return spans


def glossary_forms(term: str) -> tuple[str, ...]:
    """The other language's terms for one term ("theft" → "चोरी"), or none."""
    return _lookup(_key(term))


__all__ = ["Span", "glossary", "glossary_forms", "glossary_spans"]
