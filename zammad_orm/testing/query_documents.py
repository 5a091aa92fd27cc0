"""What :mod:`zammad_orm.testing.query` matches, and what it asks of an index over many
documents: a :class:`Document` made once per record and kept between searches, and the
:class:`CandidateIndex` that narrows a search to the documents that may match."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

__all__ = ["CandidateIndex", "Candidates", "Document", "Span"]


class Document:
    """A search document ready for matching, made once and kept while its record is unchanged:
    its fields, the fields its terms match by words (``_fulltext``) and, once free text asked
    for them, the values free text searches.

    :param fields: the document (see the module docstring)
    """

    __slots__ = ("_folded", "_parts", "fields", "free_text_fields", "text_fields")

    def __init__(self, fields: Mapping[str, object]) -> None:
        self.fields = fields
        listed = fields.get("_fulltext")
        #: fields whose terms match words; free text searches them, or every field if none
        self.text_fields = (
            _field_set(tuple(map(str, listed))) if isinstance(listed, (list, tuple)) else None
        )
        self.free_text_fields = self.text_fields or frozenset(
            name for name in fields if not name.startswith("_")
        )
        self._parts: tuple[str, ...] | None = None
        self._folded = ""

    def values(self, field: str) -> Sequence[object]:
        """The field's values: a list field's elements, else the value (``None`` if missing)."""
        value = self.fields.get(field)
        return value if isinstance(value, (list, tuple)) else (value,)

    def free_text(self) -> tuple[tuple[str, ...], str]:
        """The values free text searches, as strings, and all of them case-folded in one
        string (joined by NUL, so a substring of it without NUL is a substring of one value)."""
        if self._parts is None:
            parts = []
            for field in self.free_text_fields:
                for value in self.values(field):
                    if isinstance(value, str):
                        parts.append(value)
                    elif value is not None and not isinstance(value, (bool, datetime)):
                        parts.append(str(value))
            self._parts = tuple(parts)
            self._folded = "\0".join(part.casefold() for part in parts)
        return self._parts, self._folded


@functools.lru_cache(maxsize=256)
def _field_set(names: tuple[str, ...]) -> frozenset[str]:
    """One shared set for the many documents listing the same text fields."""
    return frozenset(names)


@dataclass(frozen=True)
class Span:
    """The numbers and dates a term or range can match, each a ``(low, high)`` (``None`` an
    open end), or ``None`` when no number (or date) can match; the ends are included unless
    ``low_included`` or ``high_included`` say otherwise."""

    numbers: tuple[float | None, float | None] | None
    dates: tuple[datetime | None, datetime | None] | None
    low_included: bool = True
    high_included: bool = True


@dataclass(frozen=True)
class Candidates:
    """The ids of the documents that may match; ``exact`` when exactly those match, so they
    need no matching one by one."""

    ids: set[int]
    exact: bool = False


class CandidateIndex(Protocol):
    """What :meth:`Query.candidates` asks of an index over many documents. Each answer holds
    every document that matches (and says whether it holds only those)."""

    def term_ids(self, field: str, folded: str, words: tuple[str, ...], span: Span) -> Candidates:
        """Documents where ``field`` has a string equal to ``folded`` once case-folded, or a
        string holding ``words`` (every one, when there are any), or a number or date within
        ``span``, or a value of another type."""

    def range_ids(self, field: str, span: Span) -> Candidates:
        """Documents where ``field`` has a number or date within ``span``, a string, or a
        value of another type."""

    def free_text_ids(self, folded: str) -> Candidates | None:
        """Documents whose free text (:meth:`Document.free_text`) holds ``folded``, or
        ``None`` when that is not worth listing (too many)."""
