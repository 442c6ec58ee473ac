"""A tsquery's text without repeated alternatives: "( 'land' | 'land' | 'land' | 'लन्द' )" is
"( 'land' | 'लन्द' )".

The search writes each word as the union of its forms (English stem, Hindi stem, plain word,
other-script forms, glossary terms), and the configurations often agree: the same lexeme comes
out two or three times. A GIN scan walks the posting list of each operand it is given, so a
repeated lexeme costs a repeated walk; the same query without repeats matches the same rows
(``a | a`` is ``a``, ``a & a`` is ``a``). Pure functions over PostgreSQL's own text form of a
tsquery (lexemes quoted, ``:*`` and weights after them), no database.
"""

from __future__ import annotations

import re

# A quoted lexeme with its prefix mark and weights, an operator, or a parenthesis.
_TOKEN = re.compile(r"\s*('(?:[^']|'')*'(?::[*A-D]+)?|<\d+>|<->|[&|!()])")
# Binding strength of the binary operators, weakest first (PostgreSQL's order).
_STRENGTH = {"|": 1, "&": 2, "<->": 3}


def _tokens(text: str) -> list[str]:
    tokens, at = [], 0
    text = text.strip()
    while at < len(text):
        match = _TOKEN.match(text, at)
        if match is None:
            raise ValueError(f"not a tsquery: {text!r}")
        tokens.append(match.group(1))
        at = match.end()
    return tokens


def _op(token: str) -> str | None:
    if token in ("|", "&"):
        return token
    if token.startswith("<") and token.endswith(">"):
        return "<->"
    return None


class _Parser:
    def __init__(self, tokens: list[str]):
        self.tokens, self.at = tokens, 0

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> str:
        if self.at >= len(self.tokens):
            raise ValueError("a tsquery ends too early")
        token = self.tokens[self.at]
        self.at += 1
        return token

    def expression(self, strength: int = 1):
        left = self.unary()
        while (token := self.peek()) is not None and (op := _op(token)) and _STRENGTH[op] >= strength:
            self.take()
            right = self.expression(_STRENGTH[op] + 1)
            left = (token, left, right)
        return left

    def unary(self):
        item = self.take()
        if item == "!":
            return ("!", self.unary())
        if item == "(":
            inner = self.expression()
            if self.take() != ")":
                raise ValueError("unbalanced parentheses in a tsquery")
            return inner
        return item  # a lexeme


def _flat(node, op: str) -> list:
    """The operands of a chain of the same associative operator (``a | (b | c)``: a, b, c)."""
    if isinstance(node, tuple) and node[0] == op and op in ("|", "&"):
        return [*_flat(node[1], op), *_flat(node[2], op)]
    return [node]


def _text(node, parent: int = 0) -> str:
    if isinstance(node, str):
        return node
    if node[0] == "!":
        return "!" + _text(node[1], 4)
    op = node[0]
    strength = _STRENGTH[_op(op)]
    if op in ("|", "&"):
        operands = list(dict.fromkeys(_text(child, strength) for child in _flat(node, op)))
        text = f" {op} ".join(operands)
        if len(operands) == 1:
            return operands[0]
    else:
        text = f"{_text(node[1], strength)} {op} {_text(node[2], strength + 1)}"
    return f"( {text} )" if strength < parent else text


def tsquery_simplified(text: str) -> str:
    """``text`` (a tsquery as PostgreSQL writes it) with repeated operands of each ``|`` and ``&``
    chain left out, in their first order; the same rows match. Empty for an empty query."""
    tokens = _tokens(text or "")
    if not tokens:
        return ""
    parser = _Parser(tokens)
    tree = parser.expression()
    if parser.peek() is not None:
        raise ValueError(f"not a tsquery: {text!r}")
    return _text(tree)


def _lexeme(token: str) -> str | None:
    """The lexeme of an operand (``'mahua'``, ``'mahua':AB``), None for a prefix (``'mah':*``)."""
    quoted, _sep, marks = token.rpartition("'")
    if "*" in marks:
        return None
    return quoted[1:].replace("''", "'")


def _keys(node) -> list[str] | None:
    if isinstance(node, str):
        lexeme = _lexeme(node)
        return None if lexeme is None else [lexeme]
    if node[0] == "!":
        return None
    if node[0] == "|":
        found = [_keys(child) for child in _flat(node, "|")]
        if any(keys is None for keys in found):
            return None
        return list(dict.fromkeys(key for keys in found for key in keys))
    # "&" or a phrase: every operand is in a matching vector; the one whose lexemes are the longest
    # (the rarest, as words go: "superintend" rather than "of") stands for it.
    children = _flat(node, "&") if node[0] == "&" else [node[1], node[2]]
    found = [keys for child in children if (keys := _keys(child)) is not None]
    if not found:
        return None
    return max(found, key=lambda keys: (min(len(key) for key in keys), -len(keys)))


def tsquery_keys(text: str) -> list[str] | None:
    """Lexemes of ``text`` (a tsquery as PostgreSQL writes it) at least one of which every vector
    matching it holds, few and long where the query lets them be chosen (of each ``&``, one
    operand's); None where none need be held (a negation) or a prefix stands in the way."""
    tokens = _tokens(text or "")
    if not tokens:
        return None
    parser = _Parser(tokens)
    tree = parser.expression()
    if parser.peek() is not None:
        raise ValueError(f"not a tsquery: {text!r}")
    return _keys(tree)


__all__ = ["tsquery_keys", "tsquery_simplified"]
