"""Parsing search queries (see :mod:`zammad_orm.testing.query` for the syntax): the query
text becomes a tree of :mod:`~zammad_orm.testing.query_matching` nodes, or a
:class:`QuerySyntaxError` that names the problem and its position."""

from __future__ import annotations

from dataclasses import dataclass

from zammad_orm.testing.query_matching import (
    All,
    And,
    Bound,
    Exists,
    FreeText,
    Node,
    Not,
    Or,
    Range,
    Term,
    TermText,
)

__all__ = ["QuerySyntaxError", "parse_tree"]


class QuerySyntaxError(ValueError):
    """A search query that cannot be parsed; ``position`` is the 0-based offset of the problem."""

    def __init__(self, problem: str, query: str, position: int) -> None:
        super().__init__(f"{problem} (at position {position} of {query!r})")
        self.problem = problem
        self.query = query
        self.position = position


def parse_tree(query: str) -> Node:
    """The tree of nodes ``query`` stands for; raises :class:`QuerySyntaxError` for a
    malformed query."""
    return _Parser(query).parse()


@dataclass(frozen=True)
class _Operator:
    name: str  # AND, OR or NOT
    spelling: str
    position: int


_WORD_OPERATORS = ("AND", "OR", "NOT")
_MAX_DEPTH = 100
_SYMBOL_OPERATORS = (("&&", "AND"), ("||", "OR"), ("!", "NOT"))


class _Parser:
    """Recursive descent over the query text; see :mod:`zammad_orm.testing.query` for the
    grammar."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0

    def error(self, problem: str, position: int) -> QuerySyntaxError:
        return QuerySyntaxError(problem, self.text, position)

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip_whitespace(self) -> None:
        while self.peek().isspace():
            self.pos += 1

    def operator(self) -> _Operator | None:
        """The operator at the cursor, without consuming it."""
        for spelling, name in _SYMBOL_OPERATORS:
            if self.text.startswith(spelling, self.pos):
                return _Operator(name, spelling, self.pos)
        for name in _WORD_OPERATORS:
            end = self.pos + len(name)
            if self.text.startswith(name, self.pos) and (
                end == len(self.text) or self.text[end].isspace() or self.text[end] in '()"'
            ):
                return _Operator(name, name, self.pos)
        return None

    def consume(self, operator: _Operator) -> None:
        """Step over ``operator`` and make sure an operand follows it."""
        self.pos = operator.position + len(operator.spelling)
        self.skip_whitespace()
        if self.at_end():
            raise self.error(
                f"dangling operator {operator.spelling!r}: nothing follows it", operator.position
            )
        following = self.operator()
        if self.peek() == ")" or (following is not None and following.name != "NOT"):
            raise self.error(
                f"operator {operator.spelling!r} is not followed by a term", operator.position
            )

    def parse(self) -> Node:
        self.skip_whitespace()
        if self.at_end():
            return All()
        node = self.parse_or(None)
        if not self.at_end():
            raise self.error("unbalanced parenthesis: ')' has no matching '('", self.pos)
        return node

    def parse_or(self, field: str | None) -> Node:
        children = [self.parse_and(field)]
        while (operator := self.operator()) is not None and operator.name == "OR":
            self.consume(operator)
            children.append(self.parse_and(field))
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self, field: str | None) -> Node:
        children = [self.parse_unary(field)]
        while True:
            self.skip_whitespace()
            operator = self.operator()
            if self.at_end() or self.peek() == ")" or (operator and operator.name == "OR"):
                break
            if operator is not None and operator.name == "AND":
                self.consume(operator)
            children.append(self.parse_unary(field))
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_unary(self, field: str | None) -> Node:
        self.skip_whitespace()
        if self.depth == _MAX_DEPTH:
            raise self.error(f"the query nests deeper than {_MAX_DEPTH} levels", self.pos)
        self.depth += 1
        try:
            return self.parse_operand(field)
        finally:
            self.depth -= 1

    def parse_operand(self, field: str | None) -> Node:
        operator = self.operator()
        if operator is not None:
            if operator.name != "NOT":
                raise self.error(f"operator {operator.spelling!r} has no term before it", self.pos)
            self.consume(operator)
            return Not(self.parse_unary(field))
        sign = self.peek()
        if sign in ("-", "+"):
            self.consume(_Operator("NOT" if sign == "-" else "AND", sign, self.pos))
            operand = self.parse_primary(field)
            return Not(operand) if sign == "-" else operand
        return self.parse_primary(field)

    def parse_primary(self, field: str | None) -> Node:
        start = self.pos
        char = self.peek()
        if char == "(":
            return self.parse_group(field)
        if char == ")":
            raise self.error("unbalanced parenthesis: ')' has no matching '('", start)
        if char == '"':
            return self.term(field, TermText(self.read_phrase()))
        if char in "[{":
            if field is None:
                raise self.error("a range needs a field, as in created_at:[a TO b]", start)
            return self.parse_range(field)
        raw = self.read_word('()":')
        if self.peek() != ":":
            return self.term(field, TermText.from_word(raw))
        if not raw:
            raise self.error("':' has no field name before it", start)
        self.pos += 1
        return self.parse_value(TermText.from_word(raw).literal, start)

    def parse_value(self, field: str, field_start: int) -> Node:
        self.skip_whitespace()
        char = self.peek()
        if char in ("", ")"):
            raise self.error(f"field {field!r} has no value", field_start)
        if char == "(":
            return self.parse_group(field)
        if char in "[{":
            return self.parse_range(field)
        if char in "<>":
            start = self.pos
            inclusive = self.text.startswith("=", self.pos + 1)
            self.pos += 2 if inclusive else 1
            bound = Bound(self.read_bound("()", start, "comparison"), inclusive)
            return Range(field, bound, None) if char == ">" else Range(field, None, bound)
        if char == '"':
            return self.term(field, TermText(self.read_phrase()))
        return self.term(field, TermText.from_word(self.read_word('()"')))

    def term(self, field: str | None, text: TermText) -> Node:
        if field == "*":
            field = None
        if field == "_exists_":
            return Exists(text.literal)
        if field is None:
            return All() if text.match_all else FreeText(text)
        return Exists(field) if text.match_all else Term(field, text)

    def parse_group(self, field: str | None) -> Node:
        start = self.pos
        self.pos += 1
        self.skip_whitespace()
        if self.peek() == ")":
            raise self.error("empty parentheses", start)
        if self.at_end():
            raise self.error("unbalanced parenthesis: '(' is never closed", start)
        node = self.parse_or(field)
        if self.at_end():
            raise self.error("unbalanced parenthesis: '(' is never closed", start)
        self.pos += 1  # parse_or stops only at the end or at ')'
        return node

    def parse_range(self, field: str) -> Node:
        start = self.pos
        lower_inclusive = self.peek() == "["
        self.pos += 1
        lower = self.read_bound("]}", start, "range")
        self.skip_whitespace()
        if self.at_end():
            raise self.error("unterminated range: it is never closed", start)
        after = self.text[self.pos + 2 : self.pos + 3]
        if not self.text.startswith("TO", self.pos) or not (after == "" or after.isspace()):
            raise self.error("a range needs ' TO ' between its bounds", self.pos)
        self.pos += 2
        upper = self.read_bound("]}", start, "range")
        self.skip_whitespace()
        if self.at_end():
            raise self.error("unterminated range: it is never closed", start)
        closing = self.peek()
        if closing not in "]}":
            raise self.error("a range must end with ']' or '}'", self.pos)
        self.pos += 1
        return Range(
            field,
            None if lower == "*" else Bound(lower, lower_inclusive),
            None if upper == "*" else Bound(upper, closing == "]"),
        )

    def read_bound(self, stops: str, start: int, construct: str) -> str:
        """A range or comparison bound: a phrase or a word, with escapes resolved."""
        self.skip_whitespace()
        if self.at_end() and construct == "range":
            raise self.error("unterminated range: it is never closed", start)
        if self.peek() == '"':
            return self.read_phrase()
        raw = self.read_word(stops + '()"')
        if not raw:
            raise self.error(f"the {construct} has a missing value", start)
        return TermText.from_word(raw).literal

    def read_word(self, stops: str) -> str:
        """Characters up to whitespace or one of ``stops``, escapes kept (``\\x`` stays two)."""
        start = self.pos
        while not self.at_end():
            char = self.text[self.pos]
            if char.isspace() or char in stops:
                break
            if char == "\\":
                if self.pos + 1 == len(self.text):
                    raise self.error("dangling escape character '\\'", self.pos)
                self.pos += 1
            self.pos += 1
        return self.text[start : self.pos]

    def read_phrase(self) -> str:
        """A double-quoted phrase; ``\\"`` and other escapes stand for the character."""
        start = self.pos
        self.pos += 1
        chars: list[str] = []
        while not self.at_end():
            char = self.text[self.pos]
            if char == '"':
                self.pos += 1
                return "".join(chars)
            if char == "\\" and self.pos + 1 < len(self.text):
                self.pos += 1
                char = self.text[self.pos]
            chars.append(char)
            self.pos += 1
        raise self.error("unterminated quote: '\"' is never closed", start)
