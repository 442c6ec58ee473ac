"""The police glossary expanded at index time (issue 15: search fast for every officer).

A query word that is a glossary term ("जमानत") matches the union of its own forms and the other
language's terms (``'जमानत' | 'jamanat' | 'bail'``): each kind's GIN scan walked every one of those
posting lists and OR-ed them into the bitmap of its matches, for every search. Here each term's
union is worked out once, with the same SQL the query writes for it (``core.search.query``), and
kept in ``core_searchglossary`` (migration core.0028) as PostgreSQL writes it (``definition``), with
the lexemes it names and a token. Every index row's vector carries the token of each term whose
definition it matches (``glossary_tokenize``, wherever vectors are written), so the search asks
for one lexeme instead of the union, and only where the definition it would ask is the stored one:
a term whose forms changed since the rows were tokenized is asked by its forms, as before.

A token is a lexeme no text can produce (it holds a space: the parser splits there), named by a
digest of its definition. A term's rank, highlighting and the walk's estimate still read the full
query (the tokens have no positions; ``ts_rank_cd`` reads only the query's own lexemes).

When the glossary's data or the query's forms change, ``glossary_refresh`` (``manage.py
search_rebuild --glossary``, or any full rebuild) writes the new definitions and re-tokenizes every
row, in one transaction that holds writers of the index back (``GLOSSARY_LOCK``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json

from django.db import connection, transaction

from core.search.glossary import glossary, glossary_spans
from core.search.query import _alternatives, _glossary_alternatives, _group_sql, query_words
from core.search.tsquery import tsquery_keys

# Taken by every writer of index rows at the start of its transaction (they may run side by side);
# the refresh takes EXCLUSIVE, so no row is written with definitions it is replacing.
GLOSSARY_LOCK = "LOCK TABLE core_searchglossary IN SHARE MODE"


# The glossary tokens of many index rows at once, the bulk way (``bench/search.py`` writes
# 1,000,000 rows' with it; ``glossary_tokenize``, the live path, tests each definition through the
# vectors' GIN index): ``{source}`` is a relation (SQL) of ``id`` and ``document``; the statement
# gives (id, tokens) for each of its rows that matches some stored term. A row can match a
# definition only if it holds one of its ``lexemes`` (``glossary_definitions``): the candidate
# terms are found by one hash join of the rows' lexemes with the terms', and a definition that is
# only alternatives of lexemes (no "&", no phrase, prefix or weight: nothing but quoted lexemes,
# "|" and brackets) is matched by that alone; the others are tested (``@@``) on their candidate
# rows only. The same matches as ``glossary_tokenize`` (tests/core/search/test_glossary_tokens.py).
# Measured side by side on 2,000 rows (load 22): 1.8 s, against 0.8 s for the GIN path over the
# same rows: not the faster for a batch of that size; kept for rows without a vector index.
TOKENS_SQL = (
    "SELECT s.id, array_to_tsvector(array_agg(g.token)) AS tokens "  # the tokens once each
    "FROM ({source}) s CROSS JOIN LATERAL unnest(tsvector_to_array(s.document)) AS l(lexeme) "
    "JOIN (SELECT token, definition::tsquery AS definition, definition !~ '[&!<:*]' AS alternatives, "
    "unnest(lexemes) AS lexeme FROM core_searchglossary OFFSET 0) g ON g.lexeme = l.lexeme "
    "WHERE g.alternatives OR s.document @@ g.definition GROUP BY s.id"
)


@contextlib.contextmanager
def tokens_plan(cursor):
    """Around a statement of ``TOKENS_SQL`` (in a transaction): merge joins off, then as before.
    The planner, which cannot see how many lexemes a vector holds, otherwise joins the rows'
    lexemes with the terms' by sorting both, vectors and all (22.5 s for 20,000 rows, against
    3.9 s hashing the terms' ~5,000 lexemes)."""
    cursor.execute("SELECT current_setting('enable_mergejoin')")
    before = "off" if cursor.fetchone()[0] == "off" else "on"
    cursor.execute("SET LOCAL enable_mergejoin = off")
    yield
    cursor.execute(f"SET LOCAL enable_mergejoin = {before}")


def tokens_sql(source: str) -> str:
    """``TOKENS_SQL`` over ``source`` (SQL of a relation of ``id`` and ``document``)."""
    return TOKENS_SQL.format(source=source)


def glossary_tokenize(where: str, params: dict | None = None) -> int:
    """Add to the vectors of these index rows (``where``, over ``core_searchentry``'s columns,
    named parameters) the token of every stored glossary term whose definition they match: one
    statement, the terms' definitions tested against the rows (for many rows, each definition
    through the vectors' GIN index, like a search). Rows matching no term are left as they are.
    Returns the rows given tokens."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_searchentry e SET document = e.document || h.tokens "  # noqa: S608 (our SQL)
            "FROM (SELECT core_searchentry.id, array_to_tsvector(array_agg(g.token)) AS tokens "
            "FROM core_searchentry JOIN core_searchglossary g ON document @@ g.definition::tsquery "
            f"WHERE {where} GROUP BY core_searchentry.id) h WHERE e.id = h.id",
            params or {},
        )
        return cursor.rowcount


def token_of(definition: str) -> str:
    return "~ " + hashlib.sha256(definition.encode()).hexdigest()[:20]


def glossary_definitions() -> dict[str, tuple[str, list[str]]]:
    """{token: (definition, lexemes)} of every glossary term: the text PostgreSQL writes for the
    SQL the query asks for the term typed as the glossary holds it (``query._tsquery_texts``, a
    whole span of the term's words, without prefixes or typos). One statement."""
    expressions, params = [], []
    for term in glossary():
        words = query_words(term)
        spans = glossary_spans(words)
        if len(spans) != 1 or (spans[0].start, spans[0].end) != (0, len(words)):
            continue  # a term the query never sees whole (longer than the query's words)
        base = [_alternatives(word, prefix=False, similar=None) for word in words]
        expressions.append(_group_sql(base, _glossary_alternatives(spans[0].forms), params) + "::text")
    if not expressions:
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(expressions), params)  # noqa: S608 (parameters)
        texts = cursor.fetchone()
    # The lexemes a row matching the definition holds one of at least (``tsquery_keys``: all of
    # a union's, one operand's of each "&"): what ``TOKENS_SQL`` finds a row's candidate terms by.
    keyed = {text: tsquery_keys(text) for text in texts if text}
    return {token_of(text): (text, sorted(set(keys))) for text, keys in keyed.items() if keys}


def glossary_refresh(*, rows: bool = True) -> dict[str, int]:
    """Write the glossary's definitions as the code gives them today and, where they changed (and
    ``rows``), re-tokenize every index row of the current district; one transaction. Returns
    {"terms": definitions, "added": n, "dropped": n, "rows": rows rewritten}."""
    wanted = glossary_definitions()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE core_searchglossary IN EXCLUSIVE MODE")
        cursor.execute("SELECT token FROM core_searchglossary")
        held = {row[0] for row in cursor.fetchall()}
        dropped, added = sorted(held - set(wanted)), sorted(set(wanted) - held)
        rewritten = 0
        if dropped:
            cursor.execute("DELETE FROM core_searchglossary WHERE token = ANY(%s)", [dropped])
        kept = sorted(held & set(wanted))
        if kept:  # the candidates' lexemes, as today's code chooses them (a table of ~1,300 rows)
            cursor.execute(
                "UPDATE core_searchglossary g SET lexemes = ARRAY(SELECT jsonb_array_elements_text(x.l)) "
                "FROM unnest(%s::text[], %s::jsonb[]) AS x(t, l) WHERE g.token = x.t "
                "AND g.lexemes IS DISTINCT FROM ARRAY(SELECT jsonb_array_elements_text(x.l))",
                [kept, [_json(wanted[token][1]) for token in kept]],
            )
        if added:
            cursor.execute(
                "INSERT INTO core_searchglossary (token, definition, lexemes) "
                "SELECT t, d, ARRAY(SELECT jsonb_array_elements_text(l)) "
                "FROM unnest(%s::text[], %s::text[], %s::jsonb[]) AS x(t, d, l)",
                [
                    added,
                    [wanted[token][0] for token in added],
                    [_json(wanted[token][1]) for token in added],
                ],
            )
        if rows and (added or dropped):
            if held:  # every token goes, and today's come back
                cursor.execute(
                    "UPDATE core_searchentry SET document = ts_delete(document, %(held)s::text[]) "
                    "WHERE tsvector_to_array(document) && %(held)s::text[]",
                    {"held": sorted(held)},
                )
            rewritten = glossary_tokenize("document IS NOT NULL")
    return {"terms": len(wanted), "added": len(added), "dropped": len(dropped), "rows": rewritten}


def _json(values: list[str]) -> str:
    return json.dumps(values, ensure_ascii=False)


__all__ = [
    "GLOSSARY_LOCK",
    "TOKENS_SQL",
    "glossary_definitions",
    "glossary_refresh",
    "glossary_tokenize",
    "token_of",
    "tokens_plan",
    "tokens_sql",
]
