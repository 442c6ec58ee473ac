"""The search: what a viewer may see that matches their words, grouped by kind, best first.

Matching, for each word of the query (all words must match):
- English stems, Hindi stems (``hindi`` or ``simple``, ``index.hindi_config``) and plain words;
- the word in the other script (``script.query_forms``: "mahua" ~ "महुआ");
- the word as a prefix (3 letters or more: "mahu" finds "Mahua");
or, for the whole query, trigram similarity (pg_trgm ``<%``) to the row's title, names, numbers
and their other-script forms: small typos in names and numbers ("mahau", "123/2052").

PERMISSIONS FIRST: every kind's rows are limited to the records the viewer may see (the same
``*_visible`` rules as the lists) in the WHERE clause of every statement, before anything is
ranked, counted or highlighted. A viewer who sees nothing gets nothing.

SPEED (``bench/search.py``, 1,000,000 rows): one statement per kind takes, through that kind's
GIN index (migration core.0013), at most ``CAP`` + 1 matching rows the viewer may see, in the
order the index finds them, and ranks the first ``RANKED`` of them: a kind's count stops at
``CAP`` ("1,000+"), and a word found in half the district costs little more than a rare one. Only
the rows shown are read whole and marked. Partial words (a prefix reads the posting lists of every
word it begins) and then typos (trigram similarity, whose index rechecks every candidate's whole
text) are looked for only when the whole words find little and name no record exactly; typos are
counted only up to ``FUZZY_CAP``.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from core.cases.access import cases_visible
from core.efile.access import Viewer, documents_visible, files_visible, receipts_visible
from core.models.search import SearchEntry
from core.rti.access import rtis_visible
from core.search.index import hindi_config
from core.search.script import has_devanagari, query_forms
from core.selectors import office_children, office_subtree_ids
from tenants.db import trigram_available

Kind = SearchEntry.Kind
PER_PAGE = 20  # a page of one kind
PER_GROUP = 5  # hits of each kind on the page of every kind
MAX_WORDS = 8
MAX_QUERY = 200
# pg_trgm's word similarity a name or number needs to count as a typo of the query.
TRIGRAM_THRESHOLD = 0.5
# Typos (trigram similarity) are looked for when the words as typed match fewer records than this.
FUZZY_BELOW = 20
# A kind's matches are counted up to this many ("1,000+" beyond); its best are chosen among them.
CAP = 1000
# Of a kind's matches, this many are ranked (ts_rank_cd reads the whole vector: ~25 us a row).
RANKED = 100
# Typos: a kind's rows similar to the query are counted up to this many ("20+"). Each candidate
# row is tested on its whole text (pg_trgm rechecks), so their number must stay small.
FUZZY_CAP = 20
# One token of the text search parser: letters and digits of either script, nothing between.
PLAIN_WORD = re.compile(r"[\w\u0900-\u097F]+")
TOKEN = re.compile(r"[\w\u0900-\u097F](?:[\w\u0900-\u097F/.\-]*[\w\u0900-\u097F])?")
# The index expressions of migration core.0013 (the same text, so the planner uses them).
MATCH_TEXT = "(title || ' ' || names || ' ' || identifiers || ' ' || other_script)"
IDENTIFIERS = "string_to_array(identifiers, E'\\n')"

VISIBLE = {
    Kind.RECEIPT: receipts_visible,
    Kind.FILE: files_visible,
    Kind.DOCUMENT: documents_visible,
    Kind.CASE: cases_visible,
    Kind.RTI: rtis_visible,
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


def _tsquery(words: list[str], *, prefix: bool = True) -> tuple[str, list]:
    """The tsquery of the words as SQL with its parameters: each word in any of its forms (and,
    with ``prefix``, as the start of a longer word), every word required.

    Forms that repeat another are left out, each being one more scan of the GIN index: a plain
    word's English stem when it is in Devanagari (the English configuration keeps Devanagari as
    it is), the Hindi stem where ``hindi`` is only ``simple``, and a plain word itself where its
    prefix is asked for (which finds it too)."""
    hindi = hindi_config()
    parts, params = [], []
    for word in words:
        plain = PLAIN_WORD.fullmatch(word) is not None
        as_prefix = prefix and len(word) >= 3
        alternatives = []
        if not (plain and has_devanagari(word)):
            alternatives.append(("plainto_tsquery('english', %s)", word))
        if hindi != "simple":
            alternatives.append(("plainto_tsquery(%s::regconfig, %s)", (hindi, word)))
        if not (plain and as_prefix):
            alternatives.append(("plainto_tsquery('simple', %s)", word))
        for form in query_forms(word):
            alternatives.append(("plainto_tsquery('simple', %s)", form))
        if as_prefix:
            alternatives.append(("to_tsquery('simple', quote_literal(lower(%s)) || ':*')", word))
        sql = []
        for fragment, value in alternatives:
            sql.append(fragment)
            params.extend(value if isinstance(value, tuple) else (value,))
        parts.append("(" + " || ".join(sql) + ")")
    return "(" + " && ".join(parts) + ")", params


def _trigram_texts(words: list[str]) -> list[str]:
    """The query as trigram matching sees it: its words, and their other-script forms."""
    text = " ".join(words).lower()
    texts = [text] if len(text) >= 3 else []
    other = " ".join(form for word in words for form in query_forms(word)[:1])
    if len(other) >= 3 and other != text:
        texts.append(other)
    return texts


@dataclass(frozen=True)
class _Match:
    where: str
    params: list
    rank: str
    rank_params: list


def _match(words: list[str], *, fuzzy: bool = True, prefix: bool = True) -> _Match:
    tsq, tsq_params = _tsquery(words, prefix=prefix)
    texts = _trigram_texts(words) if fuzzy else []
    where = [f"document @@ {tsq}"]
    params = list(tsq_params)
    similarity = ["0"]
    sim_params: list = []
    for text in texts:
        where.append(f"%s <%% {MATCH_TEXT}")
        params.append(text)
        similarity.append(f"word_similarity(%s, {MATCH_TEXT})")
        sim_params.append(text)
    exact = f"CASE WHEN {IDENTIFIERS} @> ARRAY[upper(%s)] THEN 1 ELSE 0 END"
    rank = f"ts_rank_cd(document, {tsq}) + greatest({', '.join(similarity)}) + {exact}"
    return _Match(
        where="(" + " OR ".join(where) + ")",
        params=params,
        rank=rank,
        rank_params=[*tsq_params, *sim_params, " ".join(words)],
    )


def visible_entries(viewer: Viewer, kinds=None) -> QuerySet:
    """Index rows of records the viewer may see (of ``kinds``, default all). The SP or Addl. SP
    sees every record of the district, so their rows are limited by kind only (the index drops a
    record's row when the record is gone)."""
    kinds = [k for k in (kinds or VISIBLE) if k in VISIBLE]
    if not viewer.sees_anything or not kinds:
        return SearchEntry.objects.none()
    q = Q()
    for kind in kinds:
        if viewer.district_wide:
            q |= Q(kind=kind)
        else:
            q |= Q(kind=kind, object_id__in=VISIBLE[kind](viewer).values("pk"))
    return SearchEntry.objects.filter(q)


def _filtered(queryset: QuerySet, *, offices, date_from, date_to, status) -> QuerySet:
    if offices is not None:
        queryset = queryset.filter(office_id__in=offices)
    if date_from:
        queryset = queryset.filter(on__gte=date_from)
    if date_to:
        queryset = queryset.filter(on__lte=date_to)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def _jump(viewer: Viewer, q: str) -> SearchEntry | None:
    """The one visible record that carries ``q`` as one of its numbers (None for none or several)."""
    number = " ".join(q.split()).upper()
    if not number or len(number) > 80:
        return None
    rows = list(
        visible_entries(viewer).extra(where=[f"{IDENTIFIERS} @> ARRAY[%s]"], params=[number])[:2]  # noqa: S610
    )
    return rows[0] if len(rows) == 1 else None


def _terms(words: list[str], tsq: str, params: list) -> list[str]:
    """What to highlight: the lexemes the query matches on (stems, prefixes, other-script forms)
    and the words as typed."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {tsq}::text", params)  # noqa: S608
        text = cursor.fetchone()[0] or ""
    lexemes = re.findall(r"'((?:[^']|'')+)'", text)
    return list(dict.fromkeys([*(lexeme.replace("''", "'") for lexeme in lexemes), *words]))


def _ranked(visible: QuerySet, kind: str, match: _Match, cap: int) -> list[tuple[int, float | None]]:
    """(id, rank) of the viewer's matches of one kind, best first, in one statement: at most
    ``cap`` + 1 matches taken through the kind's GIN index (permission filter in the same WHERE),
    the first ``RANKED`` of them ranked (rank None for the rest, which follow newest first).
    Ranks and ids only: the rows shown are read afterwards."""
    candidates = (
        visible.filter(kind=kind)
        .extra(where=[match.where], params=match.params)  # noqa: S610 (values are parameters)
        .order_by()
        .values("id", "on", "document", "identifiers", "title", "names", "other_script")[: cap + 1]
    )
    inner, params = candidates.query.sql_with_params()
    # The rank's unqualified columns are the candidates' (the only relation of the outer query);
    # it is computed for the first RANKED candidates only.
    sql = (
        f"SELECT id, CASE WHEN n <= {RANKED:d} THEN {match.rank} END AS rank "  # noqa: S608 (parameters)
        f"FROM (SELECT c.*, row_number() OVER () AS n FROM ({inner}) c) c "
        'ORDER BY rank DESC NULLS LAST, "on" DESC NULLS LAST, id DESC'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*match.rank_params, *params])
        return cursor.fetchall()


def _few(ranked: dict[str, list]) -> bool:
    return sum(len(rows) for rows in ranked.values()) < FUZZY_BELOW


def _groups(visible_of, match: _Match, kinds: list[str], cap: int) -> dict[str, list]:
    return {kind: ranked for kind in kinds if (ranked := _ranked(visible_of(kind), kind, match, cap))}


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
    (trigram similarity, counted up to ``FUZZY_CAP``) are looked for when the whole words find
    fewer than ``FUZZY_BELOW`` records and name none exactly. Only what the viewer may see is matched, ranked
    or counted. Reads only; the caller audits the search."""
    words = query_words(q)
    if not words or not viewer.sees_anything:
        return Results(q=q, words=words, groups=[])
    wanted = [kind for kind, _label in Kind.choices if kinds is None or kind in kinds]

    # The office filter's subtree, read once for every kind and pass.
    offices = office_subtree_ids(office_id, office_children()) if office_id else None

    def visible_of(kind: str) -> QuerySet:
        return _filtered(
            visible_entries(viewer, [kind]),
            offices=offices,
            date_from=date_from,
            date_to=date_to,
            status=status,
        )

    # A server without pg_trgm (a PostgreSQL built without its contrib modules) goes without typos.
    trigram = trigram_available(connection)
    with transaction.atomic():
        with connection.cursor() as cursor:
            if trigram:
                cursor.execute(
                    "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                    [str(TRIGRAM_THRESHOLD)],
                )
            # For this transaction only: a common word makes a scan of the table look cheap to the
            # planner, which cannot see that testing a row's vector means reading it whole (TOAST);
            # the kind's GIN index finds the first CAP + 1 matches without testing any row.
            cursor.execute("SET LOCAL enable_seqscan = off")
        jump = _jump(viewer, q)
        cap = CAP
        # Whole words first; partial words (prefixes) and then typos (trigram similarity) only
        # when the words as typed find little and name no record exactly: a common prefix reads
        # the posting lists of every word it begins, and trigrams recheck every candidate's text.
        ranked = _groups(visible_of, _match(words, fuzzy=False, prefix=False), wanted, cap)
        if _few(ranked) and jump is None and any(len(word) >= 3 for word in words):
            ranked = _groups(visible_of, _match(words, fuzzy=False), wanted, cap)
        if trigram and _few(ranked) and jump is None and _trigram_texts(words):
            cap = FUZZY_CAP
            ranked = _groups(visible_of, _match(words), wanted, cap)
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
        tsq, tsq_params = _tsquery(words)
        terms = _terms(words, tsq, tsq_params) if groups else []
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
