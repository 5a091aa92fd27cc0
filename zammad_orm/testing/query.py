"""The search query language of the fake server: Elasticsearch ``query_string`` as Zammad uses it.

:func:`parse` turns a query into a :class:`Query`; :meth:`Query.matches` tells whether a document
matches it. A *document* maps dotted field names (``"title"``, ``"state.name"``,
``"customer.email"``, ``"tags"``, ``"created_at"``, ...) to a value or a list of values (``str``,
``int``, ``float``, ``bool``, ``None`` or a timezone-aware ``datetime``). A list matches when any
of its elements does. The special key ``"_fulltext"`` lists the fields that free-text terms
search and the fields ``field:value`` treats as text; without it, free text searches every field
whose name does not start with ``_`` and every field is a keyword field.

Syntax (a subset of Lucene's, the default operator is AND)::

    welcome                       free text (see below)
    "hello world"                 free-text phrase
    title:welcome                 a field; dotted names such as state.name:open work too
    title:"hello world"           a phrase in a field
    title:wel*  title:w?lcome     wildcards: * any run of characters, ? one character
    title:(welcome OR hello)      a group applied to one field
    a AND b   a && b   a b        both
    a OR b    a || b              either
    NOT a     !a     -a           negation; +a is the same as a
    ( ... )                       grouping
    id:>5  id:>=5  id:<5  id:<=5  comparisons on numbers, dates and strings
    created_at:[2024-01-01 TO 2024-02-01]   inclusive range; {a TO b} is exclusive, [a TO b}
                                            and {a TO b] mix; * is an open end
    created_at:>now-7d            date math: now, now-1h, now+2d, now/d, 2024-01-01||+1M
    title:*   _exists_:title      the field has a value
    *   *:*   (empty query)       everything

Choices, made to resemble Elasticsearch where Zammad's index does:

* Precedence is NOT, then AND, then OR (so ``a b OR c`` is ``(a AND b) OR c``). Operators are
  upper case (``and`` is an ordinary word), as in Lucene. ``\\`` escapes the next character.
* **Free text** (a term or phrase without a field) is a case-insensitive *substring* search of
  the ``_fulltext`` fields, wildcards allowed anywhere. This covers both of Zammad's behaviours:
  Elasticsearch prefix search (Zammad appends ``*`` to a query without a colon) and the database
  fallback (``ILIKE %term%``).
* A ``field:value`` term on a **text field** (a field listed in ``_fulltext``, e.g. ``title``)
  matches when the value's words appear as consecutive words of the field (words are runs of
  letters, digits and ``_``, compared case-insensitively), or when the value equals the whole
  field. A wildcard pattern matches when it matches any single word or the whole field. So
  ``title:welcome`` and ``title:"to zammad"`` match ``"Welcome to Zammad!"``.
* On any other string field (**keyword fields** such as ``state.name``, ``customer.email``,
  ``tags``) a term or phrase must equal the whole value, case-insensitively; a wildcard pattern
  must match the whole value. ``state.name:pending`` does not match ``"pending reminder"``;
  ``state.name:pending*`` does.
* On numbers a term is a numeric comparison (``id:5`` matches ``5`` and ``5.0``); on booleans
  it is ``true``/``false``; on dates it is the range ``[value TO value]``, so
  ``created_at:2024-01-01`` matches the whole day. ``None`` matches nothing but ``NOT``.
* Ranges compare numbers numerically, datetimes (and ISO-8601 strings) chronologically, and
  other strings lexicographically (case-insensitively). A bound that does not fit the value's
  type makes the range not match that value.
* Dates are ISO 8601 (``2024-01-01``, ``2024-01-01T10:00``, ``2024-01-01T10:00:00.5Z``, a space
  instead of ``T``); without an offset they are UTC. Date math and rounding work in UTC, and
  round like Elasticsearch: ``gt``/``lte`` bounds round up to the end of the unit, ``gte``/``lt``
  bounds round down; a date without a time is rounded to its day the same way (so
  ``[2024-01-01 TO 2024-02-01]`` includes all of February 1st). Units: ``y M w d h H m s``.
* Values after a field may contain ``:`` (``created_at:2024-01-01T10:00:00Z``).
* Not supported (the characters are literal): fuzzy ``~``, boosts ``^``, regular expressions
  ``/.../``, wildcards in field names.

Syntax errors raise :class:`QuerySyntaxError`, which names the problem and its position.

Searching many documents: wrap each in a :class:`Document` once and keep it (it remembers its
free text), and ask :meth:`Query.candidates` which documents can match at all, given a
:class:`CandidateIndex` over them; only those need :meth:`Query.matches`.
"""

from __future__ import annotations

import enum
import functools
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime, timezone
from typing import TypeVar

from zammad_orm.testing.query_dates import as_utc, parse_date, parse_number, resolve_date
from zammad_orm.testing.query_documents import CandidateIndex, Candidates, Document, Span

__all__ = [
    "CandidateIndex",
    "Candidates",
    "Document",
    "Query",
    "QuerySyntaxError",
    "Span",
    "parse",
    "words",
]


class QuerySyntaxError(ValueError):
    """A search query that cannot be parsed; ``position`` is the 0-based offset of the problem."""

    def __init__(self, problem: str, query: str, position: int) -> None:
        super().__init__(f"{problem} (at position {position} of {query!r})")
        self.problem = problem
        self.query = query
        self.position = position


def parse(query: str, *, now: datetime | None = None) -> Query:
    """Parse ``query``; ``now`` pins the time that date math (``now-7d``) counts from.

    Without ``now`` (here and in :meth:`Query.matches`), the current time is used at match time.
    Raises :class:`QuerySyntaxError` for a malformed query.
    """
    return Query(query, _Parser(query).parse(), now)


class Query:
    """A parsed search query. Build one with :func:`parse`."""

    def __init__(self, text: str, root: _Node, now: datetime | None = None) -> None:
        self._text = text
        self._root = root
        self._now = now

    @property
    def text(self) -> str:
        """The query as it was written."""
        return self._text

    def matches(self, doc: Mapping[str, object] | Document, *, now: datetime | None = None) -> bool:
        """Whether ``doc`` matches; ``now`` overrides the time given to :func:`parse`."""
        document = doc if isinstance(doc, Document) else Document(doc)
        return self._root.matches(document, self._moment(now))

    def matcher(self, *, now: datetime | None = None) -> Callable[[Document], bool]:
        """:meth:`matches` for many documents, the time resolved once."""
        return functools.partial(_matches_at, self._root, self._moment(now))

    def candidates(
        self, index: CandidateIndex, *, now: datetime | None = None
    ) -> Candidates | None:
        """The documents of ``index`` that may match (a superset of the matches), or ``None``
        when the query needs every document looked at (``NOT``, wildcards, ...)."""
        return self._root.candidates(index, self._moment(now))

    def _moment(self, now: datetime | None) -> datetime:
        return as_utc(now or self._now or datetime.now(timezone.utc))

    def __repr__(self) -> str:
        return f"Query({self._text!r})"


def _matches_at(root: _Node, now: datetime, doc: Document) -> bool:
    return root.matches(doc, now)


# --- evaluation ----------------------------------------------------------------------------------


class _Mode(enum.Enum):
    """How a term compares with a string value."""

    FREE = "substring of the value"
    TEXT = "words of the value, or the whole value"
    KEYWORD = "the whole value"


@dataclass(frozen=True)
class _Text:
    """A term's text: ``literal`` with escapes resolved, ``regex`` when it holds wildcards."""

    literal: str
    regex: re.Pattern[str] | None = None
    match_all: bool = False
    #: the literal, case-folded
    folded: str = dataclass_field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "folded", self.literal.casefold())

    @classmethod
    def from_word(cls, raw: str) -> _Text:
        """A bare word: unescaped ``*`` and ``?`` are wildcards."""
        literal: list[str] = []
        pattern: list[str] = []
        wildcard = False
        chars = iter(raw)
        for char in chars:
            if char == "\\":
                char = next(chars)
                literal.append(char)
                pattern.append(re.escape(char))
            elif char in "*?":
                wildcard = True
                literal.append(char)
                pattern.append(".*" if char == "*" else ".")
            else:
                literal.append(char)
                pattern.append(re.escape(char))
        regex = re.compile("".join(pattern), re.IGNORECASE | re.DOTALL) if wildcard else None
        return cls("".join(literal), regex, match_all=bool(raw) and set(raw) == {"*"})


def words(text: str) -> list[str]:
    """The words of ``text`` as ``field:value`` terms on text fields compare them: runs of
    letters, digits and ``_``, case-folded."""
    return re.findall(r"\w+", text.casefold())


def _contains_run(haystack: list[str], needle: list[str]) -> bool:
    width = len(needle)
    return any(haystack[i : i + width] == needle for i in range(len(haystack) - width + 1))


def _string_matches(value: str, text: _Text, mode: _Mode) -> bool:
    if mode is _Mode.FREE:
        if text.regex is not None:
            return text.regex.search(value) is not None
        return text.folded in value.casefold()
    if text.regex is not None:
        if text.regex.fullmatch(value):
            return True
        return mode is _Mode.TEXT and any(text.regex.fullmatch(word) for word in words(value))
    if value.casefold() == text.folded:
        return True
    needle = words(text.literal)
    return mode is _Mode.TEXT and bool(needle) and _contains_run(words(value), needle)


def _term_matches(value: object, text: _Text, mode: _Mode, now: datetime) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return _string_matches(value, text, mode)
    if mode is _Mode.FREE:
        return not isinstance(value, (bool, datetime)) and _string_matches(str(value), text, mode)
    if text.regex is not None:
        return False
    if isinstance(value, bool):
        return text.folded == ("true" if value else "false")
    bound = _Bound(text.literal, inclusive=True)
    return _range_matches(value, bound, bound, now)


@dataclass(frozen=True)
class _Bound:
    """One end of a range; ``text`` is still unparsed because its type depends on the value."""

    text: str
    inclusive: bool


_T = TypeVar("_T", float, datetime, str)


def _between(
    key: _T,
    lower: _Bound | None,
    upper: _Bound | None,
    convert: Callable[[str, bool], _T | None],
) -> bool | None:
    """Whether ``key`` lies within the bounds; ``None`` when a bound does not convert.

    ``convert(text, round_up)`` turns a bound into the key's type; ``round_up`` tells date bounds
    which way to round (Elasticsearch: up for ``gt`` and ``lte``, down for ``gte`` and ``lt``).
    """
    if lower is not None:
        low = convert(lower.text, not lower.inclusive)
        if low is None:
            return None
        if key < low or (key == low and not lower.inclusive):
            return False
    if upper is not None:
        high = convert(upper.text, upper.inclusive)
        if high is None:
            return None
        if key > high or (key == high and not upper.inclusive):
            return False
    return True


def _range_matches(
    value: object, lower: _Bound | None, upper: _Bound | None, now: datetime
) -> bool:
    def date_bound(text: str, round_up: bool) -> datetime | None:
        return resolve_date(text, now, round_up=round_up)

    def number_bound(text: str, _round_up: bool) -> float | None:
        return parse_number(text)

    def string_bound(text: str, _round_up: bool) -> str:
        return text.casefold()

    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return bool(_between(float(value), lower, upper, number_bound))
    if isinstance(value, datetime):
        return bool(_between(as_utc(value), lower, upper, date_bound))
    if isinstance(value, str):
        parsed = parse_date(value)
        if parsed is not None:
            chronological = _between(parsed[0], lower, upper, date_bound)
            if chronological is not None:
                return chronological
        return bool(_between(value.casefold(), lower, upper, string_bound))
    return False


class _Node(ABC):
    """A node of the parsed query."""

    @abstractmethod
    def matches(self, doc: Document, now: datetime) -> bool:
        """Whether ``doc`` matches this node, date math counting from ``now``."""

    def candidates(self, index: CandidateIndex, now: datetime) -> Candidates | None:
        """``index``'s documents that may match, or ``None``: all may."""
        return None


@dataclass(frozen=True)
class _All(_Node):
    def matches(self, doc: Document, now: datetime) -> bool:
        return True


@dataclass(frozen=True)
class _Not(_Node):
    child: _Node

    def matches(self, doc: Document, now: datetime) -> bool:
        return not self.child.matches(doc, now)


@dataclass(frozen=True)
class _And(_Node):
    children: tuple[_Node, ...]

    def matches(self, doc: Document, now: datetime) -> bool:
        # a loop, not all(): a generator costs more than the match, once per document
        for child in self.children:  # noqa: SIM110
            if not child.matches(doc, now):
                return False
        return True

    def candidates(self, index: CandidateIndex, now: datetime) -> Candidates | None:
        found = [child.candidates(index, now) for child in self.children]
        narrowing = sorted((c for c in found if c is not None), key=lambda c: len(c.ids))
        if not narrowing:
            return None
        ids = narrowing[0].ids.intersection(*(c.ids for c in narrowing[1:]))
        exact = len(narrowing) == len(found) and all(c.exact for c in narrowing)
        return Candidates(ids, exact)


@dataclass(frozen=True)
class _Or(_Node):
    children: tuple[_Node, ...]

    def matches(self, doc: Document, now: datetime) -> bool:
        for child in self.children:  # noqa: SIM110 (as in _And)
            if child.matches(doc, now):
                return True
        return False

    def candidates(self, index: CandidateIndex, now: datetime) -> Candidates | None:
        found: set[int] = set()
        exact = True
        for child in self.children:
            candidates = child.candidates(index, now)
            if candidates is None:
                return None
            found |= candidates.ids
            exact = exact and candidates.exact
        return Candidates(found, exact)


@dataclass(frozen=True)
class _Term(_Node):
    field: str
    text: _Text

    def matches(self, doc: Document, now: datetime) -> bool:
        mode = _Mode.TEXT if self.field in (doc.text_fields or ()) else _Mode.KEYWORD
        return any(_term_matches(v, self.text, mode, now) for v in doc.values(self.field))

    def candidates(self, index: CandidateIndex, now: datetime) -> Candidates | None:
        if self.text.regex is not None:
            return None
        literal = self.text.literal
        number = parse_number(literal)
        low = resolve_date(literal, now, round_up=False)
        high = resolve_date(literal, now, round_up=True)
        span = Span(
            None if number is None else (number, number),
            None if low is None or high is None else (low, high),
        )
        return index.term_ids(self.field, self.text.folded, tuple(words(literal)), span)


@dataclass(frozen=True)
class _FreeText(_Node):
    text: _Text

    def matches(self, doc: Document, now: datetime) -> bool:
        parts, folded = doc.free_text()
        if self.text.regex is not None:
            return any(self.text.regex.search(part) for part in parts)
        needle = self.text.folded
        if "\0" in needle:
            return any(needle in part.casefold() for part in parts)
        return bool(parts) and needle in folded

    def candidates(self, index: CandidateIndex, now: datetime) -> Candidates | None:
        if self.text.regex is not None or not self.text.folded:
            return None
        return index.free_text_ids(self.text.folded)


@dataclass(frozen=True)
class _Range(_Node):
    field: str
    lower: _Bound | None
    upper: _Bound | None

    def matches(self, doc: Document, now: datetime) -> bool:
        return any(
            _range_matches(value, self.lower, self.upper, now) for value in doc.values(self.field)
        )

    def candidates(self, index: CandidateIndex, now: datetime) -> Candidates | None:
        lower, upper = self.lower, self.upper
        low = None if lower is None else parse_number(lower.text)
        high = None if upper is None else parse_number(upper.text)
        numbers = _span(lower, low, upper, high)
        earliest = (
            None if lower is None else resolve_date(lower.text, now, round_up=not lower.inclusive)
        )
        latest = None if upper is None else resolve_date(upper.text, now, round_up=upper.inclusive)
        dates = _span(lower, earliest, upper, latest)
        low_included = lower is None or lower.inclusive
        high_included = upper is None or upper.inclusive
        return index.range_ids(self.field, Span(numbers, dates, low_included, high_included))


_B = TypeVar("_B", float, datetime)


def _span(
    lower: _Bound | None, low: _B | None, upper: _Bound | None, high: _B | None
) -> tuple[_B | None, _B | None] | None:
    """``(low, high)``, the converted bounds; ``None`` when a bound did not convert (as in
    :func:`_between`, nothing of the type can match then)."""
    if (lower is not None and low is None) or (upper is not None and high is None):
        return None
    return low, high


@dataclass(frozen=True)
class _Exists(_Node):
    field: str

    def matches(self, doc: Document, now: datetime) -> bool:
        return any(value is not None for value in doc.values(self.field))


# --- parsing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Operator:
    name: str  # AND, OR or NOT
    spelling: str
    position: int


_WORD_OPERATORS = ("AND", "OR", "NOT")
_MAX_DEPTH = 100
_SYMBOL_OPERATORS = (("&&", "AND"), ("||", "OR"), ("!", "NOT"))


class _Parser:
    """Recursive descent over the query text; see the module docstring for the grammar."""

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

    def parse(self) -> _Node:
        self.skip_whitespace()
        if self.at_end():
            return _All()
        node = self.parse_or(None)
        if not self.at_end():
            raise self.error("unbalanced parenthesis: ')' has no matching '('", self.pos)
        return node

    def parse_or(self, field: str | None) -> _Node:
        children = [self.parse_and(field)]
        while (operator := self.operator()) is not None and operator.name == "OR":
            self.consume(operator)
            children.append(self.parse_and(field))
        return children[0] if len(children) == 1 else _Or(tuple(children))

    def parse_and(self, field: str | None) -> _Node:
        children = [self.parse_unary(field)]
        while True:
            self.skip_whitespace()
            operator = self.operator()
            if self.at_end() or self.peek() == ")" or (operator and operator.name == "OR"):
                break
            if operator is not None and operator.name == "AND":
                self.consume(operator)
            children.append(self.parse_unary(field))
        return children[0] if len(children) == 1 else _And(tuple(children))

    def parse_unary(self, field: str | None) -> _Node:
        self.skip_whitespace()
        if self.depth == _MAX_DEPTH:
            raise self.error(f"the query nests deeper than {_MAX_DEPTH} levels", self.pos)
        self.depth += 1
        try:
            return self.parse_operand(field)
        finally:
            self.depth -= 1

    def parse_operand(self, field: str | None) -> _Node:
        operator = self.operator()
        if operator is not None:
            if operator.name != "NOT":
                raise self.error(f"operator {operator.spelling!r} has no term before it", self.pos)
            self.consume(operator)
            return _Not(self.parse_unary(field))
        sign = self.peek()
        if sign in ("-", "+"):
            self.consume(_Operator("NOT" if sign == "-" else "AND", sign, self.pos))
            operand = self.parse_primary(field)
            return _Not(operand) if sign == "-" else operand
        return self.parse_primary(field)

    def parse_primary(self, field: str | None) -> _Node:
        start = self.pos
        char = self.peek()
        if char == "(":
            return self.parse_group(field)
        if char == ")":
            raise self.error("unbalanced parenthesis: ')' has no matching '('", start)
        if char == '"':
            return self.term(field, _Text(self.read_phrase()))
        if char in "[{":
            if field is None:
                raise self.error("a range needs a field, as in created_at:[a TO b]", start)
            return self.parse_range(field)
        raw = self.read_word('()":')
        if self.peek() != ":":
            return self.term(field, _Text.from_word(raw))
        if not raw:
            raise self.error("':' has no field name before it", start)
        self.pos += 1
        return self.parse_value(_Text.from_word(raw).literal, start)

    def parse_value(self, field: str, field_start: int) -> _Node:
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
            bound = _Bound(self.read_bound("()", start, "comparison"), inclusive)
            return _Range(field, bound, None) if char == ">" else _Range(field, None, bound)
        if char == '"':
            return self.term(field, _Text(self.read_phrase()))
        return self.term(field, _Text.from_word(self.read_word('()"')))

    def term(self, field: str | None, text: _Text) -> _Node:
        if field == "*":
            field = None
        if field == "_exists_":
            return _Exists(text.literal)
        if field is None:
            return _All() if text.match_all else _FreeText(text)
        return _Exists(field) if text.match_all else _Term(field, text)

    def parse_group(self, field: str | None) -> _Node:
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

    def parse_range(self, field: str) -> _Node:
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
        return _Range(
            field,
            None if lower == "*" else _Bound(lower, lower_inclusive),
            None if upper == "*" else _Bound(upper, closing == "]"),
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
        return _Text.from_word(raw).literal

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
