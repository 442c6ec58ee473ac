"""A case asked for by its number the way officers say it: "case 45", "case no. 45", "कांड 45",
"कांड संख्या 45/26", "FIR 45". Pure functions, no database.

A case's number in the index is "<FIR number>/<year>" (``core.search.builders``), so such a query
becomes that number, of the current year where no year is given; the search then finds the one
case (and goes to it) or the cases of every thana that share the number.
"""

from __future__ import annotations

import datetime
import re

# The word for a case, an optional "number", then the number and an optional year.
CASE_QUERY = re.compile(
    r"""^\s*
    (?:ps\s+|p\.s\.\s+|थाना\s+)?
    (?:case|fir|f\.i\.r\.?|kand|kaand|कांड|काण्ड|केस|प्राथमिकी|मामला)
    \s*(?:no\.?|number|num\.?|नं\.?|नंबर|संख्या|सं\.?|[:\#-])?\s*[:\#]?\s*
    (?P<number>\d{1,6})
    (?:\s*[/-]\s*(?P<year>\d{4}|\d{2}))?
    \s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def case_number(q: str, *, today: datetime.date) -> str | None:
    """The case number ("45/2026") that ``q`` asks for, or None when it is not a case's number.
    A two-digit year is of this century; no year is ``today``'s."""
    match = CASE_QUERY.match(q or "")
    if match is None:
        return None
    number = int(match["number"])
    year = match["year"]
    if year is None:
        year = today.year
    elif len(year) == 2:
        year = 2000 + int(year)
    else:
        year = int(year)
    if number < 1 or not 1900 <= year <= today.year + 1:
        return None
    return f"{number}/{year}"


__all__ = ["case_number"]
