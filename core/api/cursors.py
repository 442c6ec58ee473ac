"""Stable cursors for the API's lists (keyset paging).

A list is read in one total order that ends on a unique column (``id``), the same order as its
page. A cursor is the sort key of the last row a client saw, signed (so it cannot be forged or
edited) and encoded opaque; the next page is the rows strictly after that key in the order. Rows
added while a client pages fall where the order puts them and never shift the rows still to come:
no row is skipped or read twice (a page number would shift by one for every row added in front).

Why not DRF's ``CursorPagination``: it positions on the first ordering column only, with an offset
among equal values, and it needs one queryset; the trays merge files and dak (a union, which SQL
cannot filter after the fact) over several columns, some nullable, mixed ascending and
descending. The condition built here filters each arm of a union before it is merged, so every
arm keeps walking its own index and stops after a page.

A cursor is bound to its list (the salt names it): the inbox's cursor is refused by the sent tray.
"""

from __future__ import annotations

import base64
import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.core import signing
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions

CURSOR = OpenApiParameter(
    "cursor",
    str,
    description="The `next` cursor of the previous page (opaque; rows added meanwhile are neither "
    "skipped nor repeated).",
)

_NEVER = Q(pk__in=[])


@dataclass(frozen=True)
class Column:
    """One column of a list's order: descending or not, and where its NULLs fall (PostgreSQL's
    default when not said: last ascending, first descending)."""

    name: str
    descending: bool = False
    nulls_last: bool | None = None

    @property
    def nulls_after(self) -> bool:
        return (not self.descending) if self.nulls_last is None else self.nulls_last

    @classmethod
    def of(cls, term) -> Column:
        if isinstance(term, str):
            return cls(term.lstrip("-"), descending=term.startswith("-"))
        if isinstance(term, OrderBy) and isinstance(term.expression, F):
            nulls = True if term.nulls_last else (False if term.nulls_first else None)
            return cls(term.expression.name, descending=term.descending, nulls_last=nulls)
        raise TypeError(f"Not a column of an order: {term!r}")

    def equal(self, value) -> Q:
        return Q(**{f"{self.name}__isnull": True}) if value is None else Q(**{self.name: value})

    def after(self, value) -> Q:
        """Rows strictly after ``value`` in this column's direction."""
        if value is None:
            return _NEVER if self.nulls_after else Q(**{f"{self.name}__isnull": False})
        beyond = Q(**{f"{self.name}__{'lt' if self.descending else 'gt'}": value})
        return beyond | Q(**{f"{self.name}__isnull": True}) if self.nulls_after else beyond

    def after_constant(self, constant, value) -> bool:
        """As ``after``, for a column that is one constant throughout an arm (a union's ``kind``)."""
        if constant == value:
            return False
        if value is None or constant is None:
            return (value is None) != self.nulls_after
        return constant < value if self.descending else constant > value


# --- The cursor's text ------------------------------------------------------------------------


def _pack(value):
    if isinstance(value, datetime.datetime):
        return ["t", value.isoformat()]
    if isinstance(value, datetime.date):
        return ["d", value.isoformat()]
    return ["v", value]


def _unpack(item):
    tag, value = item
    if tag == "t":
        return datetime.datetime.fromisoformat(value)
    if tag == "d":
        return datetime.date.fromisoformat(value)
    if tag == "v" and (value is None or isinstance(value, (bool, int, str))):
        return value
    raise ValueError(tag)


class Keyset:
    """A list's order (the page's ``order_by`` terms, ending on a unique column) and its cursors."""

    def __init__(self, name: str, order: Sequence):
        self.name = name
        self.order = tuple(order)
        self.columns = tuple(Column.of(term) for term in self.order)
        self._salt = f"karyalay.api.cursor.{name}"

    def encode(self, key: Sequence) -> str:
        text = signing.dumps([_pack(value) for value in key], salt=self._salt, compress=True)
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def decode(self, raw: str | None) -> tuple | None:
        """The key in ``raw``, None for the first page; a 400 for a cursor that is not this list's."""
        if not raw:
            return None
        try:
            text = base64.urlsafe_b64decode(raw.encode() + b"=" * (-len(raw) % 4)).decode()
            key = tuple(_unpack(item) for item in signing.loads(text, salt=self._salt))
        except (signing.BadSignature, ValueError, UnicodeDecodeError, TypeError):
            raise exceptions.ValidationError({"cursor": [_("This cursor is not valid.")]}) from None
        if len(key) != len(self.columns):
            raise exceptions.ValidationError({"cursor": [_("This cursor is not valid.")]})
        return key

    def after(self, key: Sequence, constants: dict | None = None) -> Q:
        """Rows strictly after ``key``: for each column, the columns before it equal and this one
        beyond. ``constants``: the columns that are one value throughout the queryset filtered."""
        constants = constants or {}
        either = _NEVER
        for index, column in enumerate(self.columns):
            term = Q()
            for before, value in zip(self.columns[:index], key[:index], strict=True):
                if before.name in constants:
                    if constants[before.name] != value:
                        term = None
                        break
                else:
                    term &= before.equal(value)
            if term is None:
                continue
            if column.name in constants:
                if not column.after_constant(constants[column.name], key[index]):
                    continue
            else:
                term &= column.after(key[index])
            either |= term
        return either

    def page(
        self,
        arms: Iterable[tuple[QuerySet, dict]],
        raw_cursor: str | None,
        size: int,
        key_of: Callable,
    ) -> tuple[list, str | None]:
        """One page: each arm (a queryset and its constant columns) filtered to the rows after the
        cursor, ordered and cut to a page, then merged (a union, in one statement, when there are
        several). Returns the page's rows and the next page's cursor (None on the last)."""
        key = self.decode(raw_cursor)
        parts = []
        for queryset, constants in arms:
            if key is not None:
                queryset = queryset.filter(self.after(key, constants))
            parts.append(queryset.order_by(*self.order)[: size + 1])
        if len(parts) == 1:
            rows = list(parts[0])
        else:
            rows = list(parts[0].union(*parts[1:], all=True).order_by(*self.order)[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        return rows, (self.encode(key_of(rows[-1])) if more else None)
