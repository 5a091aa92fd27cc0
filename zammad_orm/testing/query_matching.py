"""A parsed search query (see :mod:`zammad_orm.testing.query`) and how it is evaluated: the
tree of nodes :mod:`~zammad_orm.testing.query_parser` builds, how each node matches a
:class:`~zammad_orm.testing.query_documents.Document` (free text, text and keyword fields,
numbers, booleans, dates and ranges), and which candidates it asks of a
:class:`~zammad_orm.testing.query_documents.CandidateIndex`."""

from __future__ import annotations

import enum
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import TypeVar

from zammad_orm.testing.query_dates import as_utc, parse_date, parse_number, resolve_date
from zammad_orm.testing.query_documents import CandidateIndex, Candidates, Document, Span

__all__ = [
    "All",
    "And",
    "Bound",
    "Exists",
    "FreeText",
    "Node",
    "Not",
    "Or",
    "Range",
    "Term",
    "TermText",
    "words",
]


class _Mode(enum.Enum):
    """How a term compares with a string value."""

    FREE = "substring of the value"
    TEXT = "words of the value, or the whole value"
    KEYWORD = "the whole value"


@dataclass(frozen=True)
class TermText:
    """A term's text: ``literal`` with escapes resolved, ``regex`` when it holds wildcards."""

    literal: str
    regex: re.Pattern[str] | None = None
    match_all: bool = False
    #: the literal, case-folded
    folded: str = dataclass_field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "folded", self.literal.casefold())

    @classmethod
    def from_word(cls, raw: str) -> TermText:
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


def _string_matches(value: str, text: TermText, mode: _Mode) -> bool:
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


def _term_matches(value: object, text: TermText, mode: _Mode, now: datetime) -> bool:
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
    bound = Bound(text.literal, inclusive=True)
    return _range_matches(value, bound, bound, now)


@dataclass(frozen=True)
class Bound:
    """One end of a range; ``text`` is still unparsed because its type depends on the value."""

    text: str
    inclusive: bool


_T = TypeVar("_T", float, datetime, str)


def _between(
    key: _T,
    lower: Bound | None,
    upper: Bound | None,
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


def _range_matches(value: object, lower: Bound | None, upper: Bound | None, now: datetime) -> bool:
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


class Node(ABC):
    """A node of the parsed query."""

    @abstractmethod
    def matches(self, doc: Document, now: datetime) -> bool:
        """Whether ``doc`` matches this node, date math counting from ``now``."""

    def candidates(self, index: CandidateIndex, now: datetime) -> Candidates | None:
        """``index``'s documents that may match, or ``None``: all may."""
        return None


@dataclass(frozen=True)
class All(Node):
    """Everything: ``*``, ``*:*`` and the empty query."""

    def matches(self, doc: Document, now: datetime) -> bool:
        return True


@dataclass(frozen=True)
class Not(Node):
    """``NOT child``, ``!child``, ``-child``."""

    child: Node

    def matches(self, doc: Document, now: datetime) -> bool:
        return not self.child.matches(doc, now)


@dataclass(frozen=True)
class And(Node):
    """All of ``children`` (``a AND b``, ``a && b``, ``a b``)."""

    children: tuple[Node, ...]

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
class Or(Node):
    """Any of ``children`` (``a OR b``, ``a || b``)."""

    children: tuple[Node, ...]

    def matches(self, doc: Document, now: datetime) -> bool:
        for child in self.children:  # noqa: SIM110 (as in And)
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
class Term(Node):
    """``field:text``: a term or phrase on one field."""

    field: str
    text: TermText

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
class FreeText(Node):
    """A term or phrase without a field: a substring of the free text."""

    text: TermText

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
class Range(Node):
    """``field:[lower TO upper]`` or a comparison (``field:>lower``); ``None`` is an open end."""

    field: str
    lower: Bound | None
    upper: Bound | None

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
    lower: Bound | None, low: _B | None, upper: Bound | None, high: _B | None
) -> tuple[_B | None, _B | None] | None:
    """``(low, high)``, the converted bounds; ``None`` when a bound did not convert (as in
    :func:`_between`, nothing of the type can match then)."""
    if (lower is not None and low is None) or (upper is not None and high is None):
        return None
    return low, high


@dataclass(frozen=True)
class Exists(Node):
    """``field:*`` or ``_exists_:field``: the field has a value."""

    field: str

    def matches(self, doc: Document, now: datetime) -> bool:
        return any(value is not None for value in doc.values(self.field))
