"""Typos: how close a dictionary word is to a typed one, and the "did you mean" of the search page.

Closeness (``closeness``) is two edit distances added: of the words in Latin (folded the way
spellings of a name vary) and of the words in Devanagari, each with a swap of two letters as one
edit. The two agree where a typo is a typo: "mahau" is one swap from "mahua" and two edits from
"महुआ", but three edits from "mahnar" and from "मह्नर", though pg_trgm finds both about as similar
(they share as many trigrams). The search ranks a typo's closest stand-ins first
(``core.search.query``); the page offers the closest as a search of its own.

The dictionary is the district's own (``SearchWord``, in the district's schema): a suggestion is
drawn from no other district's words, and only from words of records the viewer may see.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

from core.base.access import Viewer
from core.search.script import has_devanagari, latin_fold, latin_forms, query_forms, to_devanagari, to_latin
from tenants.db import trigram_available, trigram_threshold_set

# Most edits a suggestion may be from the typed word in Latin (fewer for a short word): further
# than that, "did you mean" is a guess.
MOST_EDITS = 2
# Without pg_trgm, the dictionary's words of the same first letter and about the same length are
# compared one by one, at most this many.
SCANNED = 5000
# pg_trgm's candidates for one typed word, before they are ordered by closeness, and the
# similarity they need: lower than the search's (``query.SIMILARITY``), as a suggestion must also
# be within ``MOST_EDITS``; a vowel sign left out of a short Hindi word ("महआ" for "महुआ") leaves
# it 0.29 similar.
CANDIDATES = 10
SIMILARITY = 0.2


def edits(a: str, b: str) -> int:
    """Edits from ``a`` to ``b``: a letter put in, taken out or changed, or two neighbours swapped
    (optimal string alignment distance)."""
    if a == b:
        return 0
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            row.append(min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _latin(word: str) -> str:
    return latin_fold(to_latin(word) if has_devanagari(word) else word.lower())


def _devanagari(word: str) -> str:
    return word if has_devanagari(word) else to_devanagari(word.lower())


def latin_edits(typed: str, word: str) -> int:
    return edits(_latin(typed), _latin(word))


def closeness(typed: str, word: str) -> int:
    """How far ``word`` is from ``typed``: edits in Latin plus edits in Devanagari (0: the same)."""
    return latin_edits(typed, word) + edits(_devanagari(typed), _devanagari(word))


def closest_first(typed: str, words: list[str]) -> list[str]:
    """``words`` (pg_trgm's most similar to ``typed``, in that order) closest first; of words as
    close as each other, the one spelt nearer as typed (the dictionary also holds folded forms:
    "godovn" beside "godown"), then pg_trgm's order."""
    return sorted(words, key=lambda word: (closeness(typed, word), edits(typed.lower(), word)))


def _held(words: list[str]) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM core_searchword WHERE word = ANY(%s)", [words])
        return {row[0] for row in cursor.fetchall()}


def _candidates(word: str) -> list[str]:
    """The dictionary's words that may be what ``word`` was meant to be: pg_trgm's most similar,
    or, on a server without it, the words of the same first letter and about the same length."""
    with transaction.atomic(), connection.cursor() as cursor:
        if trigram_available(connection):
            # The word index answers "%" at the transaction's threshold, not a similarity() test.
            trigram_threshold_set(cursor, SIMILARITY)
            cursor.execute(
                "SELECT word FROM core_searchword WHERE word %% %s AND word <> %s "
                "ORDER BY similarity(word, %s) DESC, word LIMIT %s",
                [word, word, word, CANDIDATES],
            )
        else:
            cursor.execute(
                "SELECT word FROM core_searchword WHERE left(word, 1) = %s "
                "AND length(word) BETWEEN %s AND %s AND word <> %s LIMIT %s",
                [word[0], len(word) - MOST_EDITS, len(word) + MOST_EDITS, word, SCANNED],
            )
        return [row[0] for row in cursor.fetchall()]


def _seen(viewer: Viewer, word: str, *, written: bool = False) -> bool:
    """Whether some record the viewer may see holds ``word`` (a suggestion never names a word of
    what they may not see); ``written``: in a title or name as written there (weight A), not only
    as the index's transliteration of another word (weight C: "मर्केत" for "market")."""
    from core.search.query import visible_entries  # lazy: cycle, core.search.query imports this module

    lexeme = "to_tsquery('simple', quote_literal(%s) || ':A')" if written else "plainto_tsquery('simple', %s)"
    rows = visible_entries(viewer).extra(where=[f"document @@ {lexeme}"], params=[word])  # noqa: S610
    inner, params = rows.values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS ({inner})", params)  # noqa: S608
        return cursor.fetchone()[0]


def _nearest(viewer: Viewer, typed: str) -> str | None:
    most = MOST_EDITS if len(typed) >= 5 else 1
    close = [w for w in _candidates(typed) if latin_edits(typed, w) <= most]
    for word in closest_first(typed, close):
        if _seen(viewer, word):
            return word
    return None


def _partner(viewer: Viewer, word: str) -> str | None:
    """``word`` in the other script ("mahua" → "महुआ"), where a record the viewer may see writes it
    so in a title or name (an English word's transliteration is no partner: "market", "मर्केत")."""
    if has_devanagari(word):
        forms = latin_forms(word)
    else:
        forms = [to_devanagari(word), *(f for f in query_forms(word) if has_devanagari(f))]
    forms = [f for f in dict.fromkeys(forms) if f and f != word]
    held = _held(forms) if forms else set()
    return next((f for f in forms if f in held and _seen(viewer, f, written=True)), None)


@dataclass(frozen=True)
class Suggestion:
    """What the page offers instead of a query: ``q`` (the query with its typos replaced, in the
    script typed) and ``other`` (the same in the other script, where every replaced word has a
    form there; else empty)."""

    q: str
    other: str = ""

    @property
    def shown(self) -> list[tuple[str, str]]:
        """(form, its language) of both forms, Devanagari first: ("महुआ", "hi"), ("Mahua", "en")."""
        forms = [self.q, self.other] if self.other else [self.q]
        forms.sort(key=lambda f: not has_devanagari(f))
        return [(form, "hi" if has_devanagari(form) else "en") for form in forms]


def _display(word: str) -> str:
    return word if has_devanagari(word) else word.capitalize()


def search_suggestion(viewer: Viewer, words: list[str]) -> Suggestion | None:
    """The "did you mean" of a search: ``words`` with each word the district's dictionary lacks
    (in either script) replaced by its closest word there that a record the viewer may see holds;
    None when no word is replaced. Reads only the current district's dictionary and index."""
    if not viewer.sees_anything or not words:
        return None
    lowered = [w.lower() for w in words]
    typos = [w for w in lowered if len(w) >= 3 and not any(c.isdigit() for c in w)]
    if not typos:
        return None
    with transaction.atomic():
        with connection.cursor() as cursor:
            # As in the search (core.search.query.search): the indexes find the few rows asked
            # for; a scan of the table reads every row's vector whole, and JIT compiles for nothing.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL jit = off")
            # Whether a word is in a visible row is asked of the word's GIN index (a bitmap of a
            # few rows), never by walking the kinds' newest-first index and testing each row's
            # vector (the planner's choice for "is there one?": 120-300 ms at 20,000 rows).
            cursor.execute("SET LOCAL enable_indexscan = off")
        return _suggestion(viewer, lowered, typos)


def _begun(word: str) -> bool:
    """Whether a dictionary word begins with ``word`` (a partial word, found as such: no typo)."""
    pattern = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM core_searchword WHERE word LIKE %s LIMIT 1", [pattern])
        return cursor.fetchone() is not None


def _suggestion(viewer: Viewer, lowered: list[str], typos: list[str]) -> Suggestion | None:
    forms = {w: [w, *(f.lower() for f in query_forms(w))] for w in typos}
    held = _held([f for fs in forms.values() for f in fs])
    unknown = {w for w in typos if held.isdisjoint(forms[w]) and not _begun(w)}
    replaced, others = [], []
    changed = False
    for word in lowered:
        nearest = _nearest(viewer, word) if word in unknown else None
        if nearest is None:
            replaced.append(word)
            others.append(word)
            continue
        changed = True
        replaced.append(nearest)
        others.append(_partner(viewer, nearest))
    if not changed:
        return None
    other = " ".join(_display(w) for w in others) if all(others) else ""
    suggestion = " ".join(_display(w) for w in replaced)
    return Suggestion(q=suggestion, other=other if other != suggestion else "")


__all__ = ["Suggestion", "closeness", "closest_first", "edits", "search_suggestion"]
