"""The indexes a :class:`~zammad_orm.testing.search_index.SearchIndex` finds candidates with
(see :meth:`Query.candidates <zammad_orm.testing.query.Query.candidates>`): per field, the
documents by their case-folded strings, by the words of their strings, and by their numbers
and dates in order; and the free text of every document in one string."""

from __future__ import annotations

import datetime as dt
import math
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from zammad_orm.testing.query_documents import Document, Span
from zammad_orm.testing.query_matching import words

__all__ = ["Corpus", "FieldIndex"]

#: between the free text of two documents in a corpus (within one, values are joined by NUL)
_SEPARATOR = "\1"


class Corpus:
    """The case-folded free text of every document in one string, so that a substring is
    looked for once (in C) rather than once per document."""

    def __init__(self, documents: Iterable[tuple[int, Document]]) -> None:
        self.idents: list[int] = []
        self.starts: list[int] = []
        texts: list[str] = []
        position = 0
        for ident, document in documents:
            parts, folded = document.free_text()
            if not parts:
                continue  # free text finds nothing in a document without free text
            self.idents.append(ident)
            self.starts.append(position)
            texts.append(folded)
            position += len(folded) + 1
        self.text = _SEPARATOR.join(texts)

    def holding(self, folded: str, *, limit: int) -> set[int] | None:
        """The documents whose free text holds ``folded``; ``None`` past ``limit`` of them."""
        if "\0" in folded or _SEPARATOR in folded:
            return None
        found: set[int] = set()
        position = self.text.find(folded)
        while position != -1:
            which = bisect_right(self.starts, position) - 1
            found.add(self.idents[which])
            if len(found) > limit:
                return None
            if which + 1 == len(self.starts):
                break
            position = self.text.find(folded, self.starts[which + 1])
        return found


class _Sorted:
    """Numbers (or dates, as integer microseconds) with the ids of their documents, in order:
    two flat arrays rather than a list of tuples."""

    def __init__(self, typecode: str) -> None:
        self.keys: array[Any] = array(typecode)
        self.ids: list[int] = []

    def fill(self, pairs: list[tuple[Any, int]]) -> None:
        """Start from unordered ``(key, id)`` pairs."""
        pairs.sort()
        self.keys.extend(key for key, _ in pairs)
        self.ids = [ident for _, ident in pairs]

    def add(self, key: Any, ident: int) -> None:
        """Insert ``key`` for ``ident``."""
        position = bisect_right(self.keys, key)
        self.keys.insert(position, key)
        self.ids.insert(position, ident)

    def remove(self, key: Any, ident: int) -> None:
        """Remove ``key`` for ``ident``."""
        start, end = bisect_left(self.keys, key), bisect_right(self.keys, key)
        for position in range(start, end):
            if self.ids[position] == ident:
                del self.keys[position]
                del self.ids[position]
                return

    def between(self, low: Any, high: Any, span: Span) -> list[int]:
        """The ids whose key lies between ``low`` and ``high`` (``None``: open), the ends
        included as ``span`` says."""
        if low is None:
            start = 0
        else:
            start = (bisect_left if span.low_included else bisect_right)(self.keys, low)
        if high is None:
            end = len(self.keys)
        else:
            end = (bisect_right if span.high_included else bisect_left)(self.keys, high)
        return self.ids[start:end]


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_MICROSECOND = dt.timedelta(microseconds=1)


def _microseconds(moment: dt.datetime) -> int:
    """``moment`` (naive ones are UTC, as the query language reads them) as an exact integer."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return (moment - _EPOCH) // _MICROSECOND


class FieldIndex:
    """The ids of the documents by the values of one field: strings by their case-folded
    value and by their words, numbers and dates sorted, anything else listed apart."""

    def __init__(self, name: str, documents: Mapping[int, Document]) -> None:
        self.name = name
        self._documents = documents
        self.exact: dict[str, set[int]] = defaultdict(set)
        self._words: dict[str, set[int]] | None = None
        self.others: set[int] = set()
        self.numbers = _Sorted("d")
        self.dates = _Sorted("q")
        numbers: list[tuple[Any, int]] = []
        dates: list[tuple[Any, int]] = []
        for ident, document in documents.items():
            for value in document.values(name):
                if isinstance(value, (int, float, dt.datetime)) and not isinstance(value, bool):
                    key = self._sorted_key(value)
                    if key is not None:
                        (dates if isinstance(value, dt.datetime) else numbers).append((key, ident))
                        continue
                self._add_unsorted(ident, value)
        self.numbers.fill(numbers)
        self.dates.fill(dates)

    def add(self, ident: int, document: Document) -> None:
        """Index ``document`` (stored under ``ident``)."""
        for value in document.values(self.name):
            key = self._sorted_key(value)
            if key is None:
                self._add_unsorted(ident, value)
            else:
                self._sorted_of(value).add(key, ident)

    def _add_unsorted(self, ident: int, value: object) -> None:
        if value is None:
            return
        if isinstance(value, bool):
            self.exact["true" if value else "false"].add(ident)
        elif isinstance(value, str):
            self.exact[value.casefold()].add(ident)
            if self._words is not None:
                for word in words(value):
                    self._words[word].add(ident)
        else:
            self.others.add(ident)

    @property
    def words(self) -> dict[str, set[int]]:
        """The documents by the words of their strings (made when first asked for)."""
        if self._words is None:
            self._words = defaultdict(set)
            for ident, document in self._documents.items():
                for value in document.values(self.name):
                    if isinstance(value, str):
                        for word in words(value):
                            self._words[word].add(ident)
        return self._words

    @property
    def unsorted(self) -> set[int]:
        """The documents with a string or a boolean (ranges look at each of them)."""
        return set().union(*self.exact.values())

    def remove(self, ident: int, document: Document) -> None:
        """Forget ``document`` (stored under ``ident``), as it was indexed."""
        for value in document.values(self.name):
            key = self._sorted_key(value)
            if key is not None:
                self._sorted_of(value).remove(key, ident)
            elif isinstance(value, bool):
                _discard(self.exact, "true" if value else "false", ident)
            elif isinstance(value, str):
                _discard(self.exact, value.casefold(), ident)
                if self._words is not None:
                    for word in words(value):
                        _discard(self._words, word, ident)
            elif value is not None:
                self.others.discard(ident)

    def _sorted_of(self, value: object) -> _Sorted:
        return self.dates if isinstance(value, dt.datetime) else self.numbers

    @staticmethod
    def _sorted_key(value: object) -> float | int | None:
        """The key a number or date sorts by (``None`` for other values and NaN)."""
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            number = float(value)
            return number if not math.isnan(number) else None
        if isinstance(value, dt.datetime):
            return _microseconds(value)
        return None

    def in_span(self, span: Span) -> set[int]:
        """The documents with a number or date within ``span``."""
        found: set[int] = set()
        if span.numbers is not None:
            found.update(self.numbers.between(*span.numbers, span))
        if span.dates is not None:
            low, high = span.dates
            found.update(
                self.dates.between(
                    None if low is None else _microseconds(low),
                    None if high is None else _microseconds(high),
                    span,
                )
            )
        return found


def _discard(buckets: dict[str, set[int]], key: str, ident: int) -> None:
    bucket = buckets.get(key)
    if bucket is not None:
        bucket.discard(ident)
        if not bucket:
            del buckets[key]
