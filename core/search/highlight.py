"""Matched words marked in a record's text, safely: the text is HTML-escaped piece by piece and
only our own ``<mark>`` tags are added, so nothing a record holds can become markup."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_LETTER = r"[\w\u0900-\u097F]"
SNIPPET = 220


def _pattern(terms) -> re.Pattern | None:
    """Words that begin with one of ``terms`` (a stem, a prefix or a whole word, any case)."""
    terms = sorted({t.lower() for t in terms if t and len(t) >= 2}, key=len, reverse=True)
    if not terms:
        return None
    alternatives = "|".join(re.escape(t) for t in terms)
    return re.compile(rf"(?<!{_LETTER})(?:{alternatives}){_LETTER}*", re.IGNORECASE)


def _marked(text: str, pattern: re.Pattern | None) -> str:
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


class Highlighter:
    """Marks the words of one search in titles and in snippets of bodies."""

    def __init__(self, terms):
        self.pattern = _pattern(terms)

    def title(self, text: str) -> SafeString:
        return mark_safe(_marked(text, self.pattern))  # noqa: S308 (every piece escaped)

    def snippet(self, text: str) -> SafeString:
        """The part of ``text`` around its first matched word (its start when none matches)."""
        text = " ".join((text or "").split())
        if not text:
            return mark_safe("")
        match = self.pattern.search(text) if self.pattern else None
        start = 0 if match is None else max(0, match.start() - SNIPPET // 3)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < (match.start() if match else start + 20) else start
        piece = text[start : start + SNIPPET]
        prefix = "… " if start else ""
        suffix = " …" if start + SNIPPET < len(text) else ""
        return mark_safe(prefix + _marked(piece, self.pattern) + suffix)  # noqa: S308


__all__ = ["Highlighter"]
