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
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL

from core.cases.access import cases_visible
from core.efile.access import Viewer, documents_visible, files_visible, receipts_visible
from core.models.search import SearchEntry
from core.rti.access import rtis_visible
from core.search.index import hindi_config
from core.search.script import query_forms
from core.selectors import office_children, office_subtree_ids

Kind = SearchEntry.Kind
PER_PAGE = 20  # a page of one kind
PER_GROUP = 5  # hits of each kind on the page of every kind
MAX_WORDS = 8
MAX_QUERY = 200
# pg_trgm's word similarity a name or number needs to count as a typo of the query.
TRIGRAM_THRESHOLD = 0.5
# Typos (trigram similarity) are looked for when the words as typed match fewer records than this.
FUZZY_BELOW = 20
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
    count: int
    hits: list[SearchEntry] = field(default_factory=list)
    page: int = 1

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
    def counts(self) -> dict[str, int]:
        return {group.kind: group.count for group in self.groups}


def query_words(q: str) -> list[str]:
    """The words of a query (numbers like "123/2025" kept whole), at most ``MAX_WORDS``."""
    return TOKEN.findall((q or "")[:MAX_QUERY])[:MAX_WORDS]


def _tsquery(words: list[str]) -> tuple[str, list]:
    """The tsquery of the words as SQL with its parameters: each word in any of its forms, every
    word required."""
    hindi = hindi_config()
    parts, params = [], []
    for word in words:
        alternatives = [
            ("plainto_tsquery('english', %s)", word),
            ("plainto_tsquery(%s::regconfig, %s)", (hindi, word)),
            ("plainto_tsquery('simple', %s)", word),
        ]
        for form in query_forms(word):
            alternatives.append(("plainto_tsquery('simple', %s)", form))
        if len(word) >= 3:
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


def _match(words: list[str], *, fuzzy: bool = True) -> _Match:
    tsq, tsq_params = _tsquery(words)
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


def _filtered(queryset: QuerySet, *, office_id, date_from, date_to, status) -> QuerySet:
    if office_id:
        queryset = queryset.filter(office_id__in=office_subtree_ids(office_id, office_children()))
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
    ``PER_GROUP`` best hits; one kind pages through all of them, ``PER_PAGE`` at a time. Reads
    only; the caller audits the search."""
    words = query_words(q)
    if not words or not viewer.sees_anything:
        return Results(q=q, words=words, groups=[])
    match = _match(words)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [str(TRIGRAM_THRESHOLD)]
            )
        visible = _filtered(
            visible_entries(viewer, kinds),
            office_id=office_id,
            date_from=date_from,
            date_to=date_to,
            status=status,
        )
        # Typos are looked for only when the words as typed find little: trigram similarity is
        # the slow part of a search, and a query that matches well needs none.
        exact = _match(words, fuzzy=False)
        found = visible.extra(where=[exact.where], params=exact.params).values("id")[:FUZZY_BELOW]  # noqa: S610
        if len(found) >= FUZZY_BELOW:
            match = exact
        entries = visible.extra(where=[match.where], params=match.params)  # noqa: S610
        counts = dict(entries.order_by().values_list("kind").annotate(n=Count("id")))
        groups = []
        single = kinds is not None and len(kinds) == 1
        for kind, label in Kind.choices:
            if not counts.get(kind):
                continue
            group = Group(kind=kind, label=str(label), count=counts[kind])
            size = PER_PAGE if single else PER_GROUP
            group.page = min(max(1, page), group.pages) if single else 1
            offset = (group.page - 1) * size
            ranked = (
                entries.filter(kind=kind)
                .select_related("office")
                .annotate(rank=RawSQL(match.rank, match.rank_params))  # noqa: S611 (values are parameters)
                .order_by("-rank", "-on", "-id")
            )
            group.hits = list(ranked[offset : offset + size])
            groups.append(group)
        tsq, tsq_params = _tsquery(words)
        terms = _terms(words, tsq, tsq_params) if groups else []
    return Results(q=q, words=words, groups=groups, terms=terms, jump=_jump(viewer, q))


__all__ = ["PER_GROUP", "PER_PAGE", "Group", "Results", "query_words", "search", "visible_entries"]
