"""The search: what a viewer may see that matches their words, grouped by kind, best first.

Matching, for each word of the query (all words must match):
- English stems, Hindi stems (``hindi`` or ``simple``, ``index.hindi_config``) and plain words;
- the word in the other script (``script.query_forms``: "mahua" ~ "महुआ");
- the word as a prefix (3 letters or more: "mahu" finds "Mahua");
and, when those find little, the dictionary's words most like it (pg_trgm similarity over
``SearchWord``, the district's words of titles, names and numbers in both scripts): small typos
in names and numbers ("mahau" -> "mahua", "123/2052" -> "123/2025").

PERMISSIONS FIRST: every kind's rows are limited to the records the viewer may see (the same
``*_visible`` rules as the lists, written on each row as its sight keys: ``core.search.sight``)
in the WHERE clause of every statement, before anything is ranked, counted or highlighted: one
indexed test of the row (``sight_keys && the viewer's keys``), not the rules' subqueries. A viewer
who sees nothing gets nothing.

SPEED (``bench/search.py``, 1,000,000 rows): one statement per kind takes, through that kind's
GIN index of its words and sight keys (migration core.0018: the index itself intersects the
words' posting lists with the keys', so only rows that match and may be seen leave it, however
small the viewer's share), at most ``CAP`` + 1 matching rows the viewer may see, in the
order the index finds them, and ranks the first ``RANKED`` of them: a kind's count stops at
``CAP`` ("1,000+"). A word in most rows (``WALK_ABOVE``, by ANALYZE's statistics) is found for the
SP by walking each kind's rows newest first instead of building its whole bitmap. Only the rows
shown are read whole and marked. Partial words (a prefix reads the posting lists of every word it
begins) and then typos (a lookup of similar words in the dictionary, then whole words again) are
looked for only when the whole words find little and name no record exactly; typos are counted
only up to ``FUZZY_CAP``.

A pass costs the same statements for every officer (``tests/core/search/test_statements.py``): its
tsquery read once as text without repeated alternatives (``core.search.tsquery``: the English,
Hindi and plain forms of a word often agree, and a repeated lexeme is a repeated walk of its
posting list), then one hand-written statement for every kind, the viewer's sight written into it
as a condition over the row's own columns (``_visible_sql``, the same condition
``visible_entries`` applies); an officer's search adds one statement, the reading of their keys.
"""

from __future__ import annotations

import datetime
import json
import re
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import QuerySet

from core.base.access import Viewer, documents_visible, files_visible, receipts_visible
from core.base.holders import office_children, office_subtree_ids
from core.cases.access import cases_visible
from core.models.search import SearchEntry
from core.people.access import people_posted_ids, people_visible
from core.rti.access import rtis_visible
from core.search.configs import hindi_config
from core.search.glossary import Span, glossary_spans
from core.search.script import has_devanagari, query_forms
from core.search.sight import viewer_keys
from core.search.suggest import MOST_EDITS, closeness, closest_first, latin_edits
from core.search.suggest import SIMILARITY as LOWER_SIMILARITY
from core.search.tsquery import tsquery_simplified
from tenants.citus import citus_active
from tenants.db import trigram_available, trigram_threshold_set

Kind = SearchEntry.Kind
PER_PAGE = 20  # a page of one kind
PER_GROUP = 5  # hits of each kind on the page of every kind
MAX_WORDS = 8
MAX_QUERY = 200
# pg_trgm similarity a dictionary word needs to stand in for a typed word (a typo of it), and how
# many of the most similar stand in. Short words share few trigrams ("mahau" ~ "mahua": 0.33).
SIMILARITY = 0.3
SIMILAR = 5
# A query that ANALYZE's statistics say matches at least this share of the rows walks each kind's
# rows newest first (the (kind, on) index) until it has CAP + 1 matches, instead of building the
# whole bitmap of its matches from the vector's index: for a word in most rows ("कांड") that bitmap
# is a hundred thousand rows per kind; the walk reads ~CAP / share rows.
WALK_ABOVE = 0.3
# Typos (similar words) are looked for when the words as typed match fewer records than this.
FUZZY_BELOW = 20
# A kind's matches are counted up to this many ("1,000+" beyond); its best are chosen among them.
CAP = 1000
# Of a kind's matches, this many are ranked (ts_rank_cd reads the whole vector: ~25 us a row).
RANKED = 100
# A walk tests at most this many rows of a kind (twice what CAP + 1 matches take at WALK_ABOVE)
# before it gives way to the index: the statistics are the district's, a kind's share may be less.
WALK_ROWS = int(2 * CAP / WALK_ABOVE)
# The search's transaction's work_mem: each kind's bitmap of matches stays exact (not lossy) up to
# ~200,000 matches.
WORK_MEM = "16MB"
# Typos: a kind's rows found through similar words are counted up to this many ("20+"): they are
# suggestions, not answers.
FUZZY_CAP = 20
# One token of the text search parser: letters and digits of either script, nothing between.
PLAIN_WORD = re.compile(r"[\w\u0900-\u097F]+")
TOKEN = re.compile(r"[\w\u0900-\u097F](?:[\w\u0900-\u097F/.\-]*[\w\u0900-\u097F])?")
# The index expressions of migration core.0013 (the same text, so the planner uses them).
IDENTIFIERS = "string_to_array(identifiers, E'\\n')"

VISIBLE = {
    Kind.RECEIPT: receipts_visible,
    Kind.FILE: files_visible,
    Kind.DOCUMENT: documents_visible,
    Kind.CASE: cases_visible,
    Kind.RTI: rtis_visible,
    Kind.PERSON: people_visible,
}


@dataclass
class Group:
    """One kind's part of the results: how many match, and the hits of this page."""

    kind: str
    label: str
    count: int  # at most the cap (CAP, or FUZZY_CAP for typos)
    hits: list[SearchEntry] = field(default_factory=list)
    page: int = 1
    capped: bool = False  # more match than the cap: ``count`` is the cap, the page says "1000+"

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // PER_PAGE))


@dataclass
class Results:
    q: str
    words: list[str]
    groups: list[Group]
    terms: list[str] = field(default_factory=list)  # what to highlight
    jump: SearchEntry | None = None  # the one visible record that carries the query as its number

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)

    @property
    def capped(self) -> bool:
        """True when some kind has more matches than it counts (the total is a lower bound)."""
        return any(group.capped for group in self.groups)

    @property
    def counts(self) -> dict[str, int]:
        return {group.kind: group.count for group in self.groups}


def query_words(q: str) -> list[str]:
    """The words of a query (numbers like "123/2025" kept whole), at most ``MAX_WORDS``."""
    return TOKEN.findall((q or "")[:MAX_QUERY])[:MAX_WORDS]


def _alternatives(
    word: str, *, prefix: bool, similar: dict[str, list[str]] | None
) -> list[tuple[str, object]]:
    """One word's forms as tsqueries (SQL fragment, parameter), in ``_tsquery``'s order."""
    hindi = hindi_config()
    plain = PLAIN_WORD.fullmatch(word) is not None
    as_prefix = prefix and len(word) >= 3
    alternatives: list[tuple[str, object]] = []
    if not (plain and has_devanagari(word)):
        alternatives.append(("plainto_tsquery('english', %s)", word))
    if hindi != "simple":
        alternatives.append(("plainto_tsquery(%s::regconfig, %s)", (hindi, word)))
    if not (plain and as_prefix):
        alternatives.append(("plainto_tsquery('simple', %s)", word))
    for form in query_forms(word):
        alternatives.append(("plainto_tsquery('simple', %s)", form))
    for like in (similar or {}).get(word, ()):
        alternatives.append(("plainto_tsquery('simple', %s)", like))
    if as_prefix:
        alternatives.append((PREFIX, word))
    return alternatives


# A word as the start of longer words (its prefix form).
PREFIX = "to_tsquery('simple', quote_literal(lower(%s)) || ':*')"


def _tsquery(
    words: list[str], *, prefix: bool = True, similar: dict[str, list[str]] | None = None
) -> tuple[str, list]:
    """The tsquery of the words as SQL with its parameters: each word in any of its forms (and,
    with ``prefix``, as the start of a longer word), every word required.

    Forms that repeat another are left out, each being one more scan of the GIN index: a plain
    word's English stem when it is in Devanagari (the English configuration keeps Devanagari as
    it is), the Hindi stem where ``hindi`` is only ``simple``, and a plain word itself where its
    prefix is asked for (which finds it too). ``similar`` adds, for a word, the dictionary's words
    most like it (typos). A word or words in a row that the police glossary holds ("theft",
    "charge sheet") also find its terms of the other language (``core.search.glossary``)."""
    parts = [_alternatives(word, prefix=prefix, similar=similar) for word in words]
    return _joined(parts, glossary_spans(words))


def _glossary_alternatives(forms: tuple[str, ...]) -> list[tuple[str, str]]:
    """A glossary term's other-language forms as tsqueries: English through its stems ("thefts"
    finds "theft"), Hindi as written; a term of several words needs all of them."""
    return [
        ("plainto_tsquery('simple', %s)", form)
        if has_devanagari(form)
        else ("plainto_tsquery('english', %s)", form)
        for form in forms
    ]


def _add(alternatives, params: list) -> str:
    """The alternatives OR'd as SQL; their parameters appended to ``params``."""
    fragments = []
    for fragment, value in alternatives:
        fragments.append(fragment)
        params.extend(value if isinstance(value, tuple) else (value,))
    return " || ".join(fragments)


def _group_sql(words: list[list[tuple[str, object]]], glossed: list, params: list) -> str:
    """One part of the query: a word's alternatives (and a glossary term's other-language forms),
    or the words of a term of several words ("charge sheet"), all of them, or one of its forms."""
    if len(words) == 1:
        return "(" + _add([*words[0], *glossed], params) + ")"
    together = " && ".join("(" + _add(word, params) + ")" for word in words)
    return f"(({together}) || " + _add(glossed, params) + ")"


def _spans_of(count: int, spans: list[Span]) -> list[tuple[int, int, Span | None]]:
    """(start, end, glossary span or None) of each part of a query of ``count`` words."""
    starts = {span.start: span for span in spans}
    out, i = [], 0
    while i < count:
        span = starts.get(i)
        end = span.end if span else i + 1
        out.append((i, end, span))
        i = end
    return out


def _joined(parts: list[list[tuple[str, object]]], spans: list[Span]) -> tuple[str, list]:
    """Every word's alternatives OR'd, the words AND'd; the words of a glossary term ("charge
    sheet") are one part: all of them, or one of the term's other-language forms."""
    sql, params = [], []
    for start, end, span in _spans_of(len(parts), spans):
        glossed = _glossary_alternatives(span.forms) if span else []
        sql.append(_group_sql(parts[start:end], glossed, params))
    return "(" + " && ".join(sql) + ")", params


def _similar_words(words: list[str]) -> dict[str, list[str]]:
    """For each word of 3 letters or more that the dictionary lacks (in either script), its words
    most like it (pg_trgm similarity, at least ``SIMILARITY``), best first, at most ``SIMILAR`` of
    them: "sunel" -> "sunil", "mahau" -> "mahua", "123/2052" -> "123/2025". One indexed lookup
    per word over short words, never over whole rows."""
    similar: dict[str, list[str]] = {}
    wanted = list(dict.fromkeys(w.lower() for w in words if len(w) >= 3))
    with connection.cursor() as cursor:
        # A word the dictionary holds as typed, or in the other script, is no typo: only the
        # others are looked up ("sunel paswan": "sunel"), so a known word's neighbours do not
        # join the query.
        forms = {word: [word, *(form.lower() for form in query_forms(word))] for word in wanted}
        cursor.execute(
            "SELECT word FROM core_searchword WHERE word = ANY(%s)",
            [[f for fs in forms.values() for f in fs]],
        )
        held = {row[0] for row in cursor.fetchall()}
        for word in (w for w in wanted if held.isdisjoint(forms[w])):
            cursor.execute(
                "SELECT word FROM core_searchword WHERE word %% %s AND word <> %s "
                "ORDER BY similarity(word, %s) DESC, word LIMIT %s",
                [word, word, word, SIMILAR],
            )
            likes = [row[0] for row in cursor.fetchall()]
            if not likes and has_devanagari(word):
                likes = _similar_devanagari(cursor, word)
            # pg_trgm's order is by shared trigrams: "mahnar" shares as many with "mahau" as
            # "mahua" does. The closest in edits (in both scripts) come first.
            similar[word] = closest_first(word, likes)
    return {word: similar.get(word.lower(), []) for word in words}


def _similar_devanagari(cursor, word: str) -> list[str]:
    """A short Hindi word with a vowel sign left out shares few trigrams with the word meant
    ("महआ" ~ "महुआ": 0.29): its words at the suggestions' lower similarity (``suggest.SIMILARITY``,
    for this statement only) that are at most ``MOST_EDITS`` from it in Latin."""
    cursor.execute("SELECT current_setting('pg_trgm.similarity_threshold')")
    threshold = cursor.fetchone()[0]
    trigram_threshold_set(cursor, LOWER_SIMILARITY)
    cursor.execute(
        "SELECT word FROM core_searchword WHERE word %% %s AND word <> %s "
        "ORDER BY similarity(word, %s) DESC, word LIMIT %s",
        [word, word, word, SIMILAR],
    )
    likes = [row[0] for row in cursor.fetchall()]
    trigram_threshold_set(cursor, float(threshold))
    return [like for like in likes if latin_edits(word, like) <= MOST_EDITS]


def _closest(similar: dict[str, list[str]]) -> tuple[str, list]:
    """A rank bonus (SQL, parameters) for each typed word whose closest stand-ins (as close as the
    first) a row holds, above any text rank: "mahau" ranks every row of "mahua" above those of
    "mahnar", however often a row names Mahnar."""
    sql, params = [], []
    for word, likes in similar.items():
        if not likes:
            continue
        best = closeness(word, likes[0])
        nearest = [like for like in likes if closeness(word, like) == best]
        sql.append(
            "CASE WHEN document @@ ("
            + " || ".join("plainto_tsquery('simple', %s)" for _ in nearest)
            + ") THEN 100 ELSE 0 END"
        )
        params.extend(nearest)
    return (" + ".join(sql) or "0"), params


@dataclass(frozen=True)
class _Match:
    """A pass's match: ``text`` is its tsquery as PostgreSQL writes it, without repeated
    alternatives (``core.search.tsquery``), read once; every statement of the pass sends it as a
    literal (``%s::tsquery``), so the planner sees a constant and the GIN scan walks each lexeme's
    posting list once. ``where`` and ``rank`` are SQL over the row's own columns."""

    where: str
    params: list
    rank: str
    rank_params: list
    tsquery: str
    tsquery_params: list
    _text: list = field(default_factory=list, compare=False, repr=False)
    # Some typed word has the dictionary's similar words standing in for it (the typo pass).
    stand_ins: bool = False

    def text(self) -> str:
        """The tsquery as PostgreSQL writes it (its lexemes quoted, words joined by "&"): the
        walk's estimate and the highlighting both use it."""
        return self._text[0] if self._text else ""


def _lexemes(text: str) -> list[str]:
    """The lexemes of a tsquery's text, unquoted."""
    return [lexeme.replace("''", "'") for lexeme in re.findall(r"'((?:[^']|'')+)'", text)]


# The token of the glossary term whose stored definition is the given tsquery's text, if the index
# rows carry it (``core.search.glossary_index``).
_GLOSSARY_SQL = "(SELECT token FROM core_searchglossary WHERE definition = ({})::text LIMIT 1)"


def _tsquery_texts(
    words: list[str], *, prefix: bool, similar: dict[str, list[str]] | None
) -> tuple[str, str]:
    """(full, compact): the pass's tsquery as text (``_tsquery``, repeated alternatives left out),
    and the same match with each glossary term's union of forms replaced by its token, where the
    index rows carry one for exactly that union (``core.search.glossary_index``: the stored
    definition is the text PostgreSQL writes for the same SQL); one statement.

    A one-word term keeps what this pass adds to its forms (its prefix, the typos' stand-ins); a
    term of several words is replaced only when the pass adds nothing to its words. Where nothing
    is replaced, compact is full. Both match the same rows: full is what ranks, highlights and
    estimates (as before); compact is what the index is asked, one posting list for the union."""
    parts = [_alternatives(word, prefix=prefix, similar=similar) for word in words]
    base = [_alternatives(word, prefix=False, similar=None) for word in words]
    tsq, params = _joined(parts, glossary_spans(words))
    columns = [f"{tsq}::text"]
    plan = []
    for start, end, span in _spans_of(len(words), glossary_spans(words)):
        glossed = _glossary_alternatives(span.forms) if span else []
        step = {"group": len(columns)}
        columns.append(_group_sql(parts[start:end], glossed, params) + "::text")
        plan.append(step)
        if span is None:
            continue
        if end - start == 1:
            word, own, first = words[start], parts[start], base[start]
            extras = [a for a in own if a not in first]
            omitted = [a for a in first if a not in own]
            simple = ("plainto_tsquery('simple', %s)", word)
            if omitted and (omitted != [simple] or (PREFIX, word) not in own):
                continue
            if omitted:  # the plain word, left out for its prefix: the prefix must find it
                step["simple"], step["prefix"] = len(columns), len(columns) + 1
                columns.append(_add([simple], params) + "::text")
                columns.append(_add([(PREFIX, word)], params) + "::text")
            if extras:
                step["extras"] = len(columns)
                columns.append("(" + _add(extras, params) + ")::text")
        elif parts[start:end] != base[start:end]:
            continue
        step["token"] = len(columns)
        columns.append(_GLOSSARY_SQL.format(_group_sql(base[start:end], glossed, params)))
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns), params)  # noqa: S608 (parameters)
        row = cursor.fetchone()
    full = tsquery_simplified(row[0] or "")
    pieces, replaced = [], False
    for step in plan:
        token = row[step["token"]] if "token" in step else None
        if token and "simple" in step and row[step["prefix"]] != (row[step["simple"]] or "") + ":*":
            token = None
        if token:
            replaced = True
            piece = "'" + token.replace("'", "''") + "'"
            if "extras" in step and row[step["extras"]]:
                piece += " | " + row[step["extras"]]
        else:
            piece = row[step["group"]] or ""
        if piece:
            pieces.append(piece)
    if not replaced:
        return full, full
    return full, tsquery_simplified(" & ".join(f"( {piece} )" for piece in pieces))


def _match(words: list[str], *, fuzzy: bool = True, prefix: bool = True) -> _Match:
    """The WHERE and rank of a pass: the words as typed (``prefix``: also as the start of longer
    words; ``fuzzy``: also the dictionary's words most like each, for typos). The WHERE asks the
    glossary's terms by their tokens where the rows carry them (``_tsquery_texts``); the rank,
    the highlighting and the walk's estimate read the full tsquery."""
    similar = _similar_words(words) if fuzzy else None
    text, compact = _tsquery_texts(words, prefix=prefix, similar=similar)
    exact = f"CASE WHEN {IDENTIFIERS} @> ARRAY[upper(%s)] THEN 1 ELSE 0 END"
    closest, closest_params = _closest(similar or {})
    return _Match(
        where="document @@ %s::tsquery",
        params=[compact],
        rank=f"ts_rank_cd(document, %s::tsquery) + {exact} + {closest}",
        rank_params=[text, " ".join(words), *closest_params],
        tsquery="%s::tsquery",
        tsquery_params=[text],
        _text=[text],
        stand_ins=any((similar or {}).values()),
    )


# The index rows' table, named in full in the conditions on it: the jump joins the offices (which
# have a kind too).
_E = "core_searchentry"


def _visible_sql(viewer: Viewer, kinds: list[str], keys: list[str] | None) -> tuple[str, list]:
    """The condition (SQL over ``core_searchentry``'s own columns, parameters) of the index rows of
    ``kinds`` that the viewer may see: the one definition of sight in the search, used by its
    statements and by ``visible_entries``. The SP or Addl. SP sees every record of the district,
    so their rows are limited by kind only (the index drops a record's row when the record is
    gone). Anyone else sees the rows whose sight keys meet theirs (``keys``:
    ``core.search.sight.viewer_keys``, worked out here when not given): one indexed test of the
    row itself, the same rules as the pages (``VISIBLE``) written on the row. People are also
    limited to those posted here today, like their cards."""
    one = len(kinds) == 1
    sql, params = (f"{_E}.kind = %s", [kinds[0]]) if one else (f"{_E}.kind = ANY(%s)", [list(kinds)])
    if viewer.district_wide:
        return sql, params
    sql += f" AND {_E}.sight_keys && %s::text[]"
    params.append(viewer_keys(viewer) if keys is None else keys)
    if Kind.PERSON in kinds:
        posted, posted_params = people_posted_ids().query.sql_with_params()
        sql += f" AND ({_E}.kind <> 'person' OR {_E}.object_id IN ({posted}))"
        params.extend(posted_params)
    return sql, params


def visible_entries(viewer: Viewer, kinds=None, *, keys: list[str] | None = None) -> QuerySet:
    """Index rows of records the viewer may see (of ``kinds``, default all): ``_visible_sql``'s
    rows, as a queryset (the suggestions', and the test that compares them with the pages)."""
    kinds = [k for k in (kinds or VISIBLE) if k in VISIBLE]
    if not viewer.sees_anything or not kinds:
        return SearchEntry.objects.none()
    sql, params = _visible_sql(viewer, kinds, keys)
    return SearchEntry.objects.extra(where=[sql], params=params)  # noqa: S610 (parameters)


def _filtered_sql(sql: str, params: list, *, offices, date_from, date_to, status) -> tuple[str, list]:
    """``sql`` (a condition over the index rows) narrowed by the page's filters."""
    params = list(params)
    if offices is not None:
        sql += f" AND {_E}.office_id = ANY(%s)"
        params.append(sorted(offices))
    if date_from:
        sql += f' AND {_E}."on" >= %s'
        params.append(date_from)
    if date_to:
        sql += f' AND {_E}."on" <= %s'
        params.append(date_to)
    if status:
        sql += f" AND {_E}.status = %s"
        params.append(status)
    return sql, params


def _jump(viewer: Viewer, q: str, keys: list[str] | None = None) -> SearchEntry | None:
    """The one visible record that carries ``q`` as one of its numbers (None for none or several)."""
    number = " ".join(q.split()).upper()
    if not number or len(number) > 80:
        return None
    rows = list(
        visible_entries(viewer, keys=keys)
        .select_related("office")
        .extra(where=[f"{IDENTIFIERS} @> ARRAY[%s]"], params=[number])[:2]  # noqa: S610
    )
    return rows[0] if len(rows) == 1 else None


def _terms(words: list[str], match: _Match) -> list[str]:
    """What to highlight: the lexemes the query matches on (stems, prefixes, other-script forms)
    and the words as typed."""
    return list(dict.fromkeys([*_lexemes(match.text()), *words]))


_COLUMNS = 'id, "on", document, identifiers'  # what the rank reads, and the order


def _ranked_sql(
    visible: tuple[str, list], kind: str, match: _Match, cap: int, *, walk: bool = False
) -> tuple[str, list]:
    """The statement (SQL, parameters) of the viewer's matches of one kind: (id, rank, ord), ``ord``
    numbering them best first. ``visible`` is the condition of the rows of this kind the viewer
    may see (``_visible_sql``, with the page's filters). At most ``cap`` + 1 matches are taken
    through the kind's GIN index of its words and sight keys (the permission filter in the same
    WHERE, tested by the index), the first ``RANKED`` of them ranked (rank None for the rest,
    which follow newest first). Ranks and ids only: the rows shown are read afterwards. Written
    by hand, not through the ORM: a search runs up to three passes of six kinds, and compiling
    each kind's queryset cost more than its statement.

    ``walk``: the kind's newest ``WALK_ROWS`` rows the viewer may see are tested instead, in order,
    until ``cap`` + 1 match."""
    where, params = visible
    if walk:
        inner = (
            f"SELECT w.* FROM (SELECT {_COLUMNS} FROM core_searchentry WHERE {where} "  # noqa: S608
            f'ORDER BY "on" DESC LIMIT {WALK_ROWS:d}) w WHERE {match.where} LIMIT {cap + 1:d}'
        )
    else:
        inner = (
            f"SELECT {_COLUMNS} FROM core_searchentry WHERE {where} AND {match.where} "  # noqa: S608
            f"LIMIT {cap + 1:d}"
        )
    params = [*params, *match.params]
    # The rank's unqualified columns are the candidates' (the only relation of the query around
    # them); it is computed for the first RANKED candidates only.
    sql = (
        "SELECT id, rank, row_number() OVER "  # noqa: S608 (parameters)
        '(ORDER BY rank DESC NULLS LAST, "on" DESC NULLS LAST, id DESC) AS ord '
        f'FROM (SELECT id, "on", CASE WHEN n <= {RANKED:d} THEN {match.rank} END AS rank '
        f"FROM (SELECT c.*, row_number() OVER () AS n FROM ({inner}) c) c) c"
    )
    return sql, [*match.rank_params, *params]


def _ranked(visible_of, match: _Match, kinds: list[str], cap: int, *, walk: bool = False) -> dict[str, list]:
    """{kind: [(id, rank), …] best first} of every kind in ``kinds``, in one statement (each kind's
    own, ``_ranked_sql``, joined by UNION ALL: one round trip for every kind, which counts on a
    busy server). A kind's walk that finds ``cap`` or fewer (the word is rarer in this kind than
    in the district) says nothing about its older rows and gives way to the index."""
    parts, params = [], []
    for kind in kinds:
        sql, kind_params = _ranked_sql(visible_of(kind), kind, match, cap, walk=walk)
        parts.append(f"SELECT %s::text AS kind, r.id, r.rank, r.ord FROM ({sql}) r")  # noqa: S608
        params.extend([kind, *kind_params])
    ranked: dict[str, list] = {kind: [] for kind in kinds}
    if parts:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for kind, pk, rank, _ord in sorted(cursor.fetchall(), key=lambda row: (row[0], row[3])):
                ranked[kind].append((pk, rank))
    if walk:
        short = [kind for kind in kinds if len(ranked[kind]) <= cap]
        if short:
            ranked.update(_ranked(visible_of, match, short, cap))
    return ranked


def _few(ranked: dict[str, list]) -> bool:
    return sum(len(rows) for rows in ranked.values()) < FUZZY_BELOW


def _groups(visible_of, match: _Match, kinds: list[str], cap: int, *, walk: bool = False) -> dict[str, list]:
    rankings = _ranked(visible_of, match, kinds, cap, walk=walk)
    return {kind: ranked for kind, ranked in rankings.items() if ranked}


# ANALYZE's most common lexemes of each district's vectors and their frequencies, read at most
# every STATS_SECONDS per process (pg_stats costs ~2 ms a read; they change only with ANALYZE).
STATS_SECONDS = 600
_stats: dict[tuple[str, str], tuple[float, dict[str, float]]] = {}


def lexeme_frequencies() -> dict[str, float]:
    """{lexeme: share of the current district's index rows holding it} for ANALYZE's most common
    lexemes of the vector (empty where the table was never analysed)."""
    key = (str(connection.settings_dict.get("NAME")), connection.schema_name)
    now = time.monotonic()
    cached = _stats.get(key)
    if cached is not None and cached[0] > now:
        return cached[1]
    with connection.cursor() as cursor:
        row = _citus_statistics(cursor) if citus_active(connection) else _statistics(cursor)
    frequency = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    _stats[key] = (now + STATS_SECONDS, frequency)
    return frequency


def _statistics(cursor) -> tuple | None:
    cursor.execute(
        "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
        "WHERE schemaname = current_schema() AND tablename = 'core_searchentry' AND attname = 'document'"
    )
    return cursor.fetchone()


def _citus_statistics(cursor) -> tuple | None:
    """On a Citus cluster the district's index rows live in a shard on a worker, and only the
    worker has ANALYZE's statistics of them (issue 21): asked there, in a statement on the
    district's table that Citus routes to that worker on this transaction's own connection, so
    that an ANALYZE earlier in the same transaction is seen too (tenants/citus.py). No rows: no
    statistics."""
    cursor.execute(
        "SELECT public.karyalay_shard_statistics(e.tableoid, 'document') FROM core_searchentry e LIMIT 1"
    )
    row = cursor.fetchone()
    if not row or not row[0]:
        return None
    found = json.loads(row[0])
    return found["e"], found["f"]


def _share(match: _Match) -> float:
    """The share of the district's index rows that ANALYZE's statistics say match every word
    (0 for a word none of whose forms is among the most common lexemes). A word's forms mostly
    find the same rows: the most frequent stands for the word."""
    frequency = lexeme_frequencies()
    if not frequency:
        return 0.0
    share = 1.0
    for part in match.text().split(" & "):  # one part per word, its forms joined by "|"
        share *= max((frequency.get(lexeme, 0.0) for lexeme in _lexemes(part)), default=0.0)
    return share


def search(
    viewer: Viewer,
    q: str,
    *,
    kinds: list[str] | None = None,
    office_id: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    status: str = "",
    page: int = 1,
) -> Results:
    """Search the current district for ``viewer``: every kind (``kinds`` None) shows its
    ``PER_GROUP`` best hits; one kind pages through them, ``PER_PAGE`` at a time. A kind with more
    than ``CAP`` matches counts ``CAP`` and is marked ``capped``; its hits are the best of the first
    ``CAP`` matches found (ranked: the first ``RANKED``). Partial words (prefixes), then typos
    (similar words, counted up to ``FUZZY_CAP``) are looked for when the whole words find
    fewer than ``FUZZY_BELOW`` records and name none exactly. Only what the viewer may see is matched, ranked
    or counted. Reads only; the caller audits the search."""
    words = query_words(q)
    if not words or not viewer.sees_anything:
        return Results(q=q, words=words, groups=[])
    wanted = [kind for kind, _label in Kind.choices if kinds is None or kind in kinds]

    # The office filter's subtree, read once for every kind and pass.
    offices = office_subtree_ids(office_id, office_children()) if office_id else None

    # The viewer's sight keys, read once for every kind and pass.
    keys = None if viewer.district_wide else viewer_keys(viewer)

    # Each kind's rows the viewer may see, narrowed by the filters: written once for every pass.
    visible = {
        kind: _filtered_sql(
            *_visible_sql(viewer, [kind], keys),
            offices=offices,
            date_from=date_from,
            date_to=date_to,
            status=status,
        )
        for kind in wanted
    }

    # A server without pg_trgm (a PostgreSQL built without its contrib modules) goes without typos.
    trigram = trigram_available(connection)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # For this transaction only (one round trip): a common word makes a scan of the table
            # look cheap to the planner, which cannot see that testing a row's vector means reading
            # it whole (TOAST); the kind's GIN index finds the first CAP + 1 matches without
            # testing any row. And never JIT-compile the search's statements: with table scans off
            # their estimated costs pass PostgreSQL's JIT thresholds whatever the rows, and
            # compiling each of a search's statements took seconds where running it took
            # milliseconds (issue 15). And room for the bitmaps of a common word's matches: past
            # work_mem (4 MB by default) a bitmap turns lossy, and every row of a lossy page has its
            # vector read and tested again (a third of the dak clerk's search of "कांड").
            # pg_trgm's threshold for the typos (``trigram_threshold_set``'s statement) in the same
            # round trip: under load each statement waits its turn (one traced search at load 15, the
            # SDPO's at 100,000 rows: 30 ms for that SET alone, 1 ms for the next).
            cursor.execute(
                (f"SET LOCAL pg_trgm.similarity_threshold = {float(SIMILARITY)!r}; " if trigram else "")
                + f"SET LOCAL enable_seqscan = off; SET LOCAL jit = off; SET LOCAL work_mem = '{WORK_MEM}'"
            )
        jump = _jump(viewer, q, keys)
        cap = CAP
        # Whole words first; partial words (prefixes) and then typos (the dictionary's similar
        # words) only when the words as typed find little and name no record exactly: a common
        # prefix reads the posting lists of every word it begins.
        match = _match(words, fuzzy=False, prefix=False)
        # The SP's view of a word in most rows: a walk, newest first (see WALK_ABOVE). Others see
        # a part of the rows, whose share the statistics do not know: the index finds theirs.
        walk = viewer.district_wide and _share(match) >= WALK_ABOVE
        ranked = _groups(visible.__getitem__, match, wanted, cap, walk=walk)
        if _few(ranked) and jump is None and any(len(word) >= 3 for word in words):
            match = _match(words, fuzzy=False)
            ranked = _groups(visible.__getitem__, match, wanted, cap)
        if trigram and _few(ranked) and jump is None and any(len(word) >= 3 for word in words):
            # As typed or as a similar word, not as a prefix (partial words were the pass before;
            # a prefix of a common word reads every posting list it begins). Where no word has a
            # similar word standing in (each is in the dictionary, or nothing there is like it),
            # the pass would be the first again: it is not run, and the partial words' finds
            # (which hold the first pass's) stay. A search that finds little ran every pass, so
            # an officer who sees a small part of the district (most searches find little) was
            # the one who paid for it (issue 15: the demo's officers against the SP).
            typos = _match(words, prefix=False)
            if typos.stand_ins:
                cap, match = FUZZY_CAP, typos
                ranked = _groups(visible.__getitem__, match, wanted, cap)
        single = kinds is not None and len(kinds) == 1
        size = PER_PAGE if single else PER_GROUP
        groups, shown = [], []
        for kind, label in Kind.choices:
            if kind not in ranked:
                continue
            rows = ranked[kind]
            group = Group(kind=kind, label=str(label), count=min(len(rows), cap), capped=len(rows) > cap)
            group.page = min(max(1, page), group.pages) if single else 1
            offset = (group.page - 1) * size
            group.hits = [pk for pk, _rank in rows[:cap][offset : offset + size]]
            shown.extend(group.hits)
            groups.append(group)
        entries = SearchEntry.objects.select_related("office").in_bulk(shown)
        for group in groups:
            group.hits = [entries[pk] for pk in group.hits if pk in entries]
        terms = _terms(words, match) if groups else []
    return Results(q=q, words=words, groups=groups, terms=terms, jump=jump)


__all__ = [
    "CAP",
    "FUZZY_CAP",
    "PER_GROUP",
    "PER_PAGE",
    "Group",
    "Results",
    "query_words",
    "search",
    "visible_entries",
]
