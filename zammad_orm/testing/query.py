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

Syntax errors raise :class:`~zammad_orm.testing.query_parser.QuerySyntaxError`, which names the
problem and its position.

Searching many documents: wrap each in a :class:`Document` once and keep it (it remembers its
free text), and ask :meth:`Query.candidates` which documents can match at all, given a
:class:`CandidateIndex` over them; only those need :meth:`Query.matches`.

This module is the entry point; the work is done by :mod:`~zammad_orm.testing.query_parser`
(the text into a tree of nodes), :mod:`~zammad_orm.testing.query_matching` (the nodes: matching
a document, listing candidates), :mod:`~zammad_orm.testing.query_dates` (dates, date math,
numbers) and :mod:`~zammad_orm.testing.query_documents` (documents, candidate indexes).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from datetime import datetime, timezone

from zammad_orm.testing.query_dates import as_utc
from zammad_orm.testing.query_documents import CandidateIndex, Candidates, Document
from zammad_orm.testing.query_matching import Node
from zammad_orm.testing.query_parser import parse_tree

__all__ = ["CandidateIndex", "Candidates", "Document", "Query", "parse"]


def parse(query: str, *, now: datetime | None = None) -> Query:
    """Parse ``query``; ``now`` pins the time that date math (``now-7d``) counts from.

    Without ``now`` (here and in :meth:`Query.matches`), the current time is used at match time.
    Raises :class:`~zammad_orm.testing.query_parser.QuerySyntaxError` for a malformed query.
    """
    return Query(query, parse_tree(query), now)


class Query:
    """A parsed search query. Build one with :func:`parse`."""

    def __init__(self, text: str, root: Node, now: datetime | None = None) -> None:
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


def _matches_at(root: Node, now: datetime, doc: Document) -> bool:
    return root.matches(doc, now)
